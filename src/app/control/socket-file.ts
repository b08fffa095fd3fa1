/** Facts about a Unix socket path: whether it fits `sun_path`, whether a server answers on it. */
import { connect } from 'node:net';

/**
 * Longest socket path in bytes: `sun_path` is 108 bytes on Linux (104 on macOS), the NUL
 * included. Node truncates a longer path silently and binds somewhere else.
 */
export const MAX_SOCKET_PATH_BYTES = process.platform === 'darwin' ? 103 : 107;

export function checkSocketPathLength(path: string): void {
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    throw new Error(`control socket path too long (${bytes} bytes, at most ${MAX_SOCKET_PATH_BYTES}): ${path}; use a shorter data directory`);
  }
}

export type ProbeResult = 'live' | 'dead' | 'absent' | 'denied';

/**
 * Connects and hangs up. A Unix socket connect is answered by the kernel as long as the
 * listening process exists (even a busy one), so 'dead' (ECONNREFUSED) means nobody holds it.
 */
export function probeSocket(path: string, timeoutMs = 2000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (result: ProbeResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done('live'), timeoutMs); // accepted but slow: someone is there
    socket.once('connect', () => done('live'));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') done('dead');
      else if (err.code === 'ENOENT') done('absent');
      else if (err.code === 'EACCES' || err.code === 'EPERM') done('denied');
      else done('live'); // EAGAIN: a listener with a full backlog; anything odd: do not take the file
    });
  });
}
