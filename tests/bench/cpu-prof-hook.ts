/**
 * Preloaded (`node -r`) into each app by `npm run bench -- --cpu-prof DIR`. The first SIGWINCH
 * (a signal Nest's shutdown hooks ignore, unlike SIGUSR2) starts the inspector's sampling CPU profiler (the bench sends it after the warm-up, so start-up
 * module loading stays out of the profile); the second writes DIR/<app>.cpuprofile. Nest's own
 * SIGTERM handling exits through a signal, so node's --cpu-prof flag would never write its file.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { basename, dirname, join } from 'node:path';

const dir = process.env['BENCH_CPU_PROF_DIR'];
if (dir) {
  // dist/apps/<app>/src/main.js -> <app>
  const name = basename(dirname(dirname(process.argv[1] ?? 'unknown/x/y')));
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 1000 }, () => session.post('Profiler.start')),
      );
      return;
    }
    running = false;
    session.post('Profiler.stop', (err, res) => {
      if (!err && res) writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
