/**
 * A cross-fire worker thread: builds its own copy of the compiled corpus and
 * events (crossfire-shard.ts), says `ready` with their identity, then answers
 * each `{ from, to }` with the ShardResult of that range.
 */
import { parentPort } from 'node:worker_threads';
import { crossfireShard } from './crossfire-shard.ts';

const port = parentPort;
if (!port) throw new Error('crossfire-worker.ts runs as a worker thread');
const shard = await crossfireShard();
port.on('message', (m: { from: number; to: number }) => port.postMessage(shard.run(m.from, m.to)));
port.postMessage({ ready: shard.identity });
