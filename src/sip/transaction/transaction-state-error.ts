/**
 * Thrown when something asks a transaction machine for an edge its table does not have
 * (h11 style): the TU answering a transaction twice, answering a terminated one, a provisional
 * after a final. Inputs from the network never throw: the tables list what they ignore.
 */
export class TransactionStateError extends Error {
  override readonly name = 'TransactionStateError';
  constructor(
    readonly machine: string,
    readonly state: string,
    readonly input: string,
  ) {
    super(`${machine}: no transition for "${input}" in state ${state}`);
  }
}
