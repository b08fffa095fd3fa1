/** The SIP transaction layer (RFC 3261 §17, RFC 6026). */
export {
  TransactionLayer,
  TransactionStateError,
  type ClientTransaction,
  type ClientTransactionState,
  type ServerTransaction,
  type ServerTransactionState,
  type Transaction,
  type TransactionEvent,
  type TransactionLayerOptions,
  type TransactionLayerStats,
  type Transmit,
} from './transaction-layer.js';
export { ackForNon2xx, cancelRequest } from './hop-by-hop-requests.js';
export { timerDuration, timerSettings, type TimerName, type TimerSettings } from './timer-values.js';
