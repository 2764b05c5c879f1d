/**
 * Runs the simulator in its own process, so the client under measurement has its event loop (and a
 * core) to itself. Reads its options as JSON from argv[2]; prints `{ url, apiKey }` as one JSON line;
 * answers `stats` on stdin with a JSON line of counters; exits when stdin closes.
 */
import { startSimulator, type SimulatorOptions } from '../src/simulator/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const simulator = await startSimulator(options);
process.stdout.write(`${JSON.stringify({ url: simulator.url, apiKey: simulator.apiKey })}\n`);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (chunk.includes('stats')) process.stdout.write(`${JSON.stringify(simulator.stats())}\n`);
});
process.stdin.on('end', () => {
  void simulator.close().then(() => process.exit(0));
});
