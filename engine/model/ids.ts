/**
 * The id arq gives the inline body of a foreach (`foreach: ... run: ...`): `ID__item`. Users never
 * see it: events and messages show the foreach's own id, and a user id of that form is refused.
 */
const ITEM_SUFFIX = '__item';

/** The id of the inline body of foreach step `id`. */
export function itemBodyId(id: string): string {
  return id + ITEM_SUFFIX;
}

/** Whether an id has the reserved form of an inline foreach body. */
export function isItemBodyId(id: string): boolean {
  return id.endsWith(ITEM_SUFFIX);
}

/** The id a user wrote: an inline foreach body shows as its foreach. */
export function shownId(id: string): string {
  return isItemBodyId(id) ? id.slice(0, -ITEM_SUFFIX.length) : id;
}
