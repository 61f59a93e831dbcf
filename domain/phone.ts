// Phone numbers as staff type them: the digits decide, and a Chinese mobile number matches with or without +86.

/** The digit strings that name the same line: as typed, and with the country code 86 added or dropped for a mobile number. */
export function phoneVariants(phone: string): string[] {
  const digits = phone.replace(/\D/g, '').replace(/^00/, '');
  const variants = new Set([digits]);
  if (/^861\d{10}$/.test(digits)) variants.add(digits.slice(2));
  if (/^1\d{10}$/.test(digits)) variants.add(`86${digits}`);
  return [...variants].filter(Boolean);
}
