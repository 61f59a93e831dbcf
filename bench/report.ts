// bench/RESULTS.md from one run's figures, each beside the target of the performance issue it answers.
type Results = Record<string, any>;

const met = (ok: boolean) => (ok ? 'met' : '**not met**');

/** Events from the timer firing through the next timer's start; a local activity write is one marker. */
function stepRow(label: string, c: Results) {
  const writes = c.activitiesPerStep.max + c.localWritesPerStep.max;
  const ok = c.steps > 0 && c.eventsPerStep.max <= 6 && writes <= 1;
  return `| ${label}: events mean / max; activities, local writes max | | ${c.eventsPerStep.mean} / ${c.eventsPerStep.max}; ${c.activitiesPerStep.max}, ${c.localWritesPerStep.max} | | ≤ 6 events, ≤ 1 activity: ${met(ok)} |`;
}

/** One engine's run: its table beside the targets. */
function renderRun(r: Results): string {
  const s = r.startRate;
  const st = r.storm;
  const c = r.stepCost;
  return [
    `## ${r.engine}`,
    '',
    `Command: \`${r.engineKey === 'cluster' ? 'BENCH_ENGINE=cluster ' : ''}npm run bench\` (\`BENCH_SCALE=${r.scale}\`). Run ${r.date} at commit \`${r.commit}\`,`,
    `${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}. Engine: ${r.engine}; the bench, the API, the worker,`,
    'the engine and the database share the machine, so read the ratios, not the absolute times.',
    '',
    '| measure | bare engine | this project | ratio | target |',
    '| --- | --- | --- | --- | --- |',
    `| starts/s at concurrency ${s.concurrency} (bare: \`workflow.start\` of a no-op; project: \`POST /v1/complaints\` via autocannon) | ${s.bare.perSecond} | ${s.api.perSecond} (${s.api.failed} failed; p50 ${s.api.latencyMs.p50} ms, p99 ${s.api.latencyMs.p99} ms) | ${s.ratio} | ≥ 0.8: ${met(s.ratio >= 0.8)} |`,
    `| API latency at half the bare rate (${s.apiAtHalfRate.rate}/s) | | p50 ${s.apiAtHalfRate.latencyMs.p50} ms, p99 ${s.apiAtHalfRate.latencyMs.p99} ms (${s.apiAtHalfRate.failed} failed) | | p99 < 100 ms: ${met(s.apiAtHalfRate.latencyMs.p99 < 100)} |`,
    `| storm: ${st.bare.cases} deadlines in one second, drain time (deadline → last write in MongoDB) | ${st.bare.drainSeconds} s | ${st.contracts.drainSeconds} s | ${st.drainRatio} | ≤ 1.25: ${met(st.drainRatio <= 1.25)} |`,
    `| storm lateness p50 / p99 / max | ${st.bare.latenessMs.p50} / ${st.bare.latenessMs.p99} / ${st.bare.latenessMs.max} ms | ${st.contracts.latenessMs.p50} / ${st.contracts.latenessMs.p99} / ${st.contracts.latenessMs.max} ms | | |`,
    `| steady: ${r.steady.perSecond} escalations/s for ${r.steady.cases / r.steady.perSecond} s with ${r.steady.openCases} open cases, lateness p50 / p99 | | ${r.steady.latenessMs.p50} / ${r.steady.latenessMs.p99} ms (${r.steady.recorded}/${r.steady.cases} recorded) | | p99 ≤ 1 s: ${met(r.steady.latenessMs.p99 <= 1000)} |`,
    stepRow(`per callback step (real histories, ${c.callback.steps} steps)`, c.callback),
    stepRow(`per ladder step (a complaint nobody answers, ${c.complaintLadder.steps} steps)`, c.complaintLadder),
    `| worker RSS idle → with ${r.workerRssMB.openCases} open cases | | ${r.workerRssMB.idle} → ${r.workerRssMB.withOpenCases} MB | | < 500 MB at 100k: not measured at this scale |`,
    `| 5-year warranty under time skipping | | ${r.warranty.wallSeconds} s wall, ${r.warranty.runs} runs, largest history ${r.warranty.maxHistoryEvents} events | | < 10 s: ${met(r.warranty.wallSeconds < 10)} |`,
    '',
    `Raw figures: \`bench/${r.engineKey === 'cluster' ? 'results.cluster.json' : 'results.json'}\`.`,
    '',
  ].join('\n');
}

/** bench/RESULTS.md: the last run on each engine (`BENCH_ENGINE=dev` or `cluster`), each with its own commit and date. */
export function renderResults(runs: Results[]): string {
  return [
    '# Benchmark results',
    '',
    '`npm run bench` measures the project beside the bare engine in one run on one engine: `BENCH_ENGINE=dev` (default) on',
    "`npm start`'s stack, `BENCH_ENGINE=cluster` on `npm run cluster`'s; `BENCH_SCALE=small` is a smoke, `default` 1k storms,",
    '`full` 10k. Each section below is the last run on that engine.',
    '',
    ...runs.map(renderRun),
  ].join('\n');
}
