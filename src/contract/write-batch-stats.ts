/** What a write queue has committed so far: transactions, and the writes they carried. */
export interface WriteBatchStats {
  /** Transactions committed. */
  transactions: number;
  /** Writes committed in them, each in its own savepoint; a write rolled back to its savepoint is not counted. */
  writes: number;
}
