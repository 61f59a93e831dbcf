// How every bench command ends: exit 0 when its figures are written, 1 with the error otherwise.
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
