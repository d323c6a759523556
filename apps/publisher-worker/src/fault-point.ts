/**
 * TEST ONLY: named places in a delivery where the fault harness makes the publisher die as
 * abruptly as a power cut (SIGKILL: no shutdown hooks, no `finally`, the open transaction rolled
 * back by Postgres). Off unless FAULT_POINT is set, which no deployment does.
 *
 * - after_claim: the row is `sending`, nothing was sent.
 * - after_send: the channel has it, the ledger does not.
 * - before_ledger_commit: the outcome is written inside the transaction, the COMMIT never comes.
 */
import { writeFileSync } from 'node:fs';
import type { AppConfig, FaultPoint } from '@syndication/config';

export class FaultPoints {
  constructor(private readonly faults: AppConfig['faults']) {}

  hit(point: FaultPoint): void {
    if (this.faults.point !== point) return;
    if (this.faults.onceFile) {
      // Creating the file is the "fired" flag; 'wx' fails when it exists, so two processes racing
      // to the same point kill only one of them.
      try {
        writeFileSync(this.faults.onceFile, `${point} pid ${process.pid}\n`, { flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
        throw err;
      }
    }
    process.kill(process.pid, 'SIGKILL');
  }
}
