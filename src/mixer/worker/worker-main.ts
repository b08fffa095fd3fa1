/**
 * Entry point of a media worker thread: wires the MediaWorker to the parent port. Each
 * request gets exactly one response with its id; an exception becomes `ok: false`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Request, WorkerInit, WorkerMessage } from '../channel/protocol.js';
import { MediaWorker, RequestError } from './media-worker.js';

const port = parentPort;
if (!port) throw new Error('worker-main.js must run in a worker thread');
const init = workerData as WorkerInit;
const post = (m: WorkerMessage): void => port.postMessage(m);
const worker = new MediaWorker(init, post);

port.on('message', (req: Request) => {
  worker.handle(req).then(
    (result) => post({ id: req.id, ok: true, result: result ?? null }),
    (err: unknown) => post({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err), code: err instanceof RequestError ? err.code : undefined }),
  );
});
post({ event: 'ready', worker: init.worker });
