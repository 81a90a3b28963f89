import type { ReaderSnapshot } from '../card/reader-types.js';

/** Parent values the resolvers pass down; the schema's object fields resolve from these. */
export type ReaderParent = ReaderSnapshot;

export interface BeidParent {
  readerId: string;
}
