/**
 * Shortens a message to at most `maxLength` characters, keeping its head and,
 * at greater length, its tail (the end of a traceback says most), with a
 * visible marker where the middle was cut.
 */
export function truncateMessage(message: string, maxLength: number): string {
  if (message.length <= maxLength) {
    return message;
  }
  const marker = (omitted: number) =>
    `\n\n… [${omitted} characters omitted] …\n\n`;
  // The marker's length depends on the count it shows; the longest count
  // bounds it.
  const budget = maxLength - marker(message.length).length;
  let headEnd = Math.floor(budget / 4);
  let tailStart = message.length - (budget - headEnd);
  // Never split a surrogate pair.
  if (isHighSurrogate(message.charCodeAt(headEnd - 1))) {
    headEnd -= 1;
  }
  if (isLowSurrogate(message.charCodeAt(tailStart))) {
    tailStart += 1;
  }
  return (
    message.slice(0, headEnd) +
    marker(tailStart - headEnd) +
    message.slice(tailStart)
  );
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
