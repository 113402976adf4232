/**
 * How the fast path stops: the moment it meets something outside its subset it throws this one
 * preallocated value (no stack trace to build), and fastParse answers "not mine".
 */
const GIVE_UP = Object.freeze({ giveUp: true });

export function giveUp(): never {
  throw GIVE_UP;
}

export function isGiveUp(thrown: unknown): boolean {
  return thrown === GIVE_UP;
}
