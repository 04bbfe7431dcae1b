/**
 * Progress for long work: an updating line on a terminal, and at most ~10 plain lines per phase
 * otherwise (CI logs).
 */
export interface Progress {
  update(done: number, total: number, detail?: string): void;
  done(summary: string): void;
}

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY);
  let lastDecile = -1;
  const started = Date.now();
  const secs = () => ((Date.now() - started) / 1000).toFixed(1);
  return {
    update(done, total, detail = '') {
      const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
      const text = `${label} ${String(pct).padStart(3)}% (${done}/${total}) ${detail} ${secs()}s`;
      if (tty) stream.write(`\r${text.padEnd(100)}`);
      else if (Math.floor(pct / 10) > lastDecile) {
        lastDecile = Math.floor(pct / 10);
        stream.write(`${text}\n`);
      }
    },
    done(summary) {
      stream.write(`${tty ? '\r' : ''}${`${label}: ${summary} (${secs()}s)`.padEnd(tty ? 100 : 0)}\n`);
    },
  };
}
