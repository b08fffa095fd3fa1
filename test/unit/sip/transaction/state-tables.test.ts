import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clientInviteMachine } from '../../../../src/sip/transaction/client-invite-machine.js';
import { clientNonInviteMachine } from '../../../../src/sip/transaction/client-non-invite-machine.js';
import { serverInviteMachine } from '../../../../src/sip/transaction/server-invite-machine.js';
import { serverNonInviteMachine } from '../../../../src/sip/transaction/server-non-invite-machine.js';
import type { ClientTransactionState, ServerTransactionState } from '../../../../src/sip/transaction/transaction.js';

const RESPONSES = ['1xx', '2xx', '300-699', 'transport error'] as const;

test('every live client state has an edge for every response and for transport errors: the network can never make it throw', () => {
  const live: Array<[typeof clientInviteMachine, ClientTransactionState[]]> = [
    [clientInviteMachine, ['Calling', 'Proceeding', 'Completed', 'Accepted']],
    [clientNonInviteMachine, ['Pending', 'Trying', 'Proceeding', 'Completed']],
  ];
  for (const [machine, states] of live) for (const s of states) for (const input of RESPONSES) assert.ok(machine.accepts(s, input), `${machine.name} ${s} ${input}`);
});

test('every live server state has an edge for request retransmissions and transport errors (and ACK for INVITE)', () => {
  const inviteStates: ServerTransactionState[] = ['Proceeding', 'Completed', 'Confirmed', 'Accepted'];
  for (const s of inviteStates) for (const input of ['request', 'ack', 'transport error'] as const) assert.ok(serverInviteMachine.accepts(s, input), `${s} ${input}`);
  for (const s of ['Trying', 'Proceeding', 'Completed'] as const) for (const input of ['request', 'transport error'] as const) assert.ok(serverNonInviteMachine.accepts(s, input), `${s} ${input}`);
});

test('TU answers are only accepted before the final response (and 2xx again in Accepted, RFC 6026 §7.1)', () => {
  const tu = ['send 1xx', 'send 2xx', 'send 300-699'] as const;
  const allowed = (m: typeof serverInviteMachine, s: ServerTransactionState) => tu.filter((i) => m.accepts(s, i));
  assert.equal(allowed(serverInviteMachine, 'Proceeding'), [...tu]);
  assert.equal(allowed(serverInviteMachine, 'Accepted'), ['send 2xx']);
  for (const s of ['Completed', 'Confirmed', 'Terminated'] as const) assert.equal(allowed(serverInviteMachine, s), [], s);
  assert.equal(allowed(serverNonInviteMachine, 'Trying'), [...tu]);
  assert.equal(allowed(serverNonInviteMachine, 'Proceeding'), [...tu]);
  for (const s of ['Completed', 'Terminated'] as const) assert.equal(allowed(serverNonInviteMachine, s), [], s);
});

test('each timer is only known to the states that run it (RFC 3261 §17.1.1.2, §17.1.2.2, §17.2.1, §17.2.2, RFC 6026)', () => {
  const where = (m: { accepts(s: never, i: never): boolean }, states: readonly string[], timer: string) =>
    states.filter((s) => (m.accepts as (s: string, i: string) => boolean)(s, `timer ${timer}`));
  const cStates = ['Pending', 'Calling', 'Trying', 'Proceeding', 'Completed', 'Accepted', 'Terminated'];
  const sStates = ['Trying', 'Proceeding', 'Completed', 'Confirmed', 'Accepted', 'Terminated'];
  assert.equal(where(clientInviteMachine, cStates, 'A'), ['Calling']);
  assert.equal(where(clientInviteMachine, cStates, 'B'), ['Calling']);
  assert.equal(where(clientInviteMachine, cStates, 'D'), ['Completed']);
  assert.equal(where(clientInviteMachine, cStates, 'M'), ['Accepted']);
  assert.equal(where(clientNonInviteMachine, cStates, 'E'), ['Trying', 'Proceeding']);
  assert.equal(where(clientNonInviteMachine, cStates, 'F'), ['Trying', 'Proceeding']);
  assert.equal(where(clientNonInviteMachine, cStates, 'K'), ['Completed']);
  assert.equal(where(serverInviteMachine, sStates, 'G'), ['Completed']);
  assert.equal(where(serverInviteMachine, sStates, 'H'), ['Completed']);
  assert.equal(where(serverInviteMachine, sStates, 'I'), ['Confirmed']);
  assert.equal(where(serverInviteMachine, sStates, 'L'), ['Accepted']);
  assert.equal(where(serverNonInviteMachine, sStates, 'J'), ['Completed']);
});

test.run();
