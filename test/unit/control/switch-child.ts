// Child process for switch-crash.test.ts (not a test file): a "switch" that owns the data
// directory's control socket, has one call in progress in the history, says "ready" and
// runs until the parent SIGKILLs it (no stop(), no cleanup: a crash).
//   node switch-child.js <dataDir>
import { controlSocketPath } from '../../../src/app/control/control-protocol.js';
import { ControlServer } from '../../../src/app/control/control-server.js';
import { silentLogger } from '../../../src/log/logger.js';
import { openStore } from '../../../src/store/store.js';

const dataDir = process.argv[2]!;
const store = openStore(dataDir);
const control = new ControlServer(controlSocketPath(dataDir), silentLogger);
control.register({ 'calls.list': () => [{ id: 'call-in-progress' }] });
await control.start();
store.calls.closeDangling(Date.now());
store.calls.insert(
  {
    id: 'call-in-progress',
    callerNumber: '1001',
    callerName: 'Alice',
    callerDevice: '1001',
    dialled: '2001',
    calleeUser: '2001',
    answeredBy: '2001',
    startedAt: 1_700_000_000_000,
    answeredAt: 1_700_000_002_000,
    endedAt: null,
    disposition: null,
    endReason: null,
  },
  [{ callId: 'call-in-progress', userExt: '1001', role: 'caller', missed: false }],
);
process.stdout.write('ready\n');
setInterval(() => {}, 1 << 30);
