/**
 * webdriverio's errors, worded for a step's message: without the class name it puts in front
 * nor the request it appends (`when running "http://127.0.0.1:40113/session" with method "POST"`).
 *
 * @example
 * errorText(new Error('WebDriverError: session not created: Chrome instance exited when running "..." with method "POST"'))
 * // 'session not created: Chrome instance exited'
 */

/** The error's message, cleaned of webdriverio's wrapping. */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^\w*Error: /, '').replace(/ when running "[^"]*" with method "\w+"\s*$/, '').trim();
}

/** The first line of {@link errorText}. */
export function firstLine(error: unknown): string {
  return errorText(error).split('\n')[0]!.trim();
}
