// Runs shell commands side by side (the build and the type checks share no output), prints each one's
// output in one piece as it ends, and exits non-zero if any failed. `npm test` uses it so that a 2-core
// machine compiles on both cores instead of one tsc after another.
import { spawn } from 'node:child_process';
import process from 'node:process';

const commands = process.argv.slice(2);
const results = await Promise.all(
  commands.map(
    (command) =>
      new Promise((resolve) => {
        const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
        const output = [];
        child.stdout.on('data', (chunk) => output.push(chunk));
        child.stderr.on('data', (chunk) => output.push(chunk));
        child.on('close', (status) => {
          process.stdout.write(`> ${command}${status === 0 ? '' : ` (exit ${status})`}\n`);
          process.stdout.write(Buffer.concat(output));
          resolve(status);
        });
      }),
  ),
);
process.exitCode = results.every((status) => status === 0) ? 0 : 1;
