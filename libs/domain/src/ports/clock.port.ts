/** Clock port: the only source of "now" and of fresh ids for code that must be testable. */
export interface Clock {
  /** The current time. */
  now(): Date;
}

/** Id port: produces unique ids (UUIDs in production, counters in tests). */
export interface IdSource {
  /** A new unique id. */
  newId(): string;
}
