/** One line of the audit log: who changed what, when. */
export interface AuditEntry {
  at: string;
  /** `user:<email>` for the dashboard, `cli:<os user>` for the admin CLI. */
  actor: string;
  orgId: string | null;
  /** e.g. origin.add, app.rename, config.set */
  action: string;
  /** What was changed, e.g. the application label or the origin. */
  target: string | null;
  details?: Record<string, unknown> | undefined;
}

export interface AuditRow extends AuditEntry {
  seq: number;
}

/**
 * The audit log. Mutating methods of the other stores take an optional entry and write it in
 * their own DB transaction; this store adds stand-alone entries and reads the log.
 */
export interface AuditStore {
  addAudit(entry: AuditEntry): Promise<void>;
  /** Newest first; `orgId` narrows to one organisation, `beforeSeq` pages back. */
  listAudit(query: { orgId?: string; beforeSeq?: number; limit: number }): Promise<AuditRow[]>;
}
