// Runs shell commands side by side and exits non-zero if any failed. Every command but the last prints
// its output in one piece as it ends (they share no output); the last one's output streams as it comes,
// so it can close the log (`npm test`: the type checks beside the build and then mocha, whose
// "N passed, N failed" line ends the log; the type checks are far shorter). A 2-core machine thus
// compiles on both cores, and type-checks while mocha waits on real time.
import { spawn } from 'node:child_process';
import process from 'node:process';

const commands = process.argv.slice(2);
const results = await Promise.all(
  commands.map(
    (command, index) =>
      new Promise((resolve) => {
        const streamed = index === commands.length - 1;
        if (streamed) process.stdout.write(`> ${command}\n`);
        const child = spawn(command, { shell: true, stdio: ['ignore', streamed ? 'inherit' : 'pipe', streamed ? 'inherit' : 'pipe'] });
        const output = [];
        child.stdout?.on('data', (chunk) => output.push(chunk));
        child.stderr?.on('data', (chunk) => output.push(chunk));
        child.on('close', (status) => {
          if (!streamed) {
            process.stdout.write(`> ${command}${status === 0 ? '' : ` (exit ${status})`}\n`);
            process.stdout.write(Buffer.concat(output));
          }
          resolve(status);
        });
      }),
  ),
);
process.exitCode = results.every((status) => status === 0) ? 0 : 1;
