import type { OriginEntry } from '@cardlink/ds-protocol';
import { AllowList, mergeEntries } from './allow-list.js';

/**
 * The allow-list in force: the DS's entries merged with the local origins file. Swapped
 * whole on every change so a request sees one consistent list.
 */
export class OriginPolicy {
  private list: AllowList;
  private dsEntries: readonly OriginEntry[] = [];

  constructor(private readonly fileEntries: readonly OriginEntry[] = []) {
    this.list = new AllowList(fileEntries);
  }

  current(): AllowList {
    return this.list;
  }

  /** Replace the DS part of the list (the origins file stays merged in). */
  setDsEntries(entries: readonly OriginEntry[]): void {
    this.dsEntries = entries;
    this.list = new AllowList(mergeEntries(entries, this.fileEntries));
  }

  get entries(): readonly OriginEntry[] {
    return this.list.entries;
  }

  get fromDs(): readonly OriginEntry[] {
    return this.dsEntries;
  }
}
