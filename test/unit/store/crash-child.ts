// Child process for crash.test.ts: holds the database, makes directory changes, and stops
// dead where the parent wants it, so the parent can SIGKILL it there.
//   node crash-child.js <dataDir> committed        add users and devices, say "committed", hang
//   node crash-child.js <dataDir> mid-transaction  hang inside a multi-statement change
//   node crash-child.js <dataDir> hold-lock        add user 4001 inside a write transaction,
//                                                  say "locked", commit 300 ms later
import { Directory } from '../../../src/app/directory/directory.js';
import { openStore } from '../../../src/store/store.js';

const [dataDir, mode] = process.argv.slice(2);
const store = openStore(dataDir!);
const directory = new Directory(store);

/** Blocks this thread for good without spinning: the process can only be killed now. */
function hang(): never {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  throw new Error('unreachable');
}

if (mode === 'committed') {
  directory.addUser({ ext: '3001', name: 'Carol' });
  directory.addDevice({ ext: '3001', userExt: '3001', secret: 'carols-secret' });
  directory.addDevice({ ext: '3002', userExt: '3001', secret: 'carols-dect-1', mac: 'AA-BB-CC-00-11-22' });
  process.stdout.write('committed\n');
  hang();
} else if (mode === 'mid-transaction') {
  // `device add 1009 --primary` for Alice (main 1001, primary 1001) inserts the device,
  // moves the primary mark, then sets the main extension. Stop just before that last write.
  const updateUser = store.users.update.bind(store.users);
  store.users.update = (...args) => {
    process.stdout.write('paused\n');
    hang();
    return updateUser(...args);
  };
  directory.addDevice({ ext: '1009', userExt: '1001', secret: 'new-primary-1', primary: true });
} else if (mode === 'hold-lock') {
  store.db.exec('BEGIN IMMEDIATE');
  directory.addUser({ ext: '4001', name: 'Dave' }); // a savepoint inside the open transaction
  process.stdout.write('locked\n');
  setTimeout(() => {
    store.db.exec('COMMIT');
    store.close();
  }, 300);
}
