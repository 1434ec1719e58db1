/**
 * A progress line on stderr (stdout stays clean for `--json` and pipes). In a terminal the line is rewritten in
 * place; elsewhere (CI logs, files) each change is a new line, at most one per `everyMs`, so a log shows the run
 * without a line per poll.
 */
export type ProgressLine = {
  /** Show this text now (or, off a terminal, when `everyMs` has passed since the last line). */
  update(text: string): void;
  /** Show the last text for good and end the line. */
  done(text: string): void;
};

export function progressLine(
  options: { stream?: NodeJS.WriteStream; everyMs?: number; now?: () => number } = {},
): ProgressLine {
  const stream = options.stream ?? process.stderr;
  const everyMs = options.everyMs ?? 5000;
  const now = options.now ?? Date.now;
  const inPlace = stream.isTTY === true;
  let last = '';
  let lastAt = Number.NEGATIVE_INFINITY;

  const write = (text: string, final: boolean) => {
    if (inPlace) {
      // \r and "erase to end of line", so a shorter text leaves nothing of the longer one behind.
      stream.write(`\r\x1b[K${text}${final ? '\n' : ''}`);
    } else if (text !== last || final) {
      stream.write(`${text}\n`);
    }
    last = text;
    lastAt = now();
  };

  return {
    update(text) {
      if (inPlace || (text !== last && now() - lastAt >= everyMs)) write(text, false);
    },
    done(text) {
      if (!inPlace && text === last) return;
      write(text, true);
    },
  };
}

/** A bar of `width` cells filled by `done` of `total`: `[██████░░░░]`. */
export function progressBar(done: number, total: number, width = 20): string {
  const filled = total <= 0 ? width : Math.max(0, Math.min(width, Math.round((done / total) * width)));
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}
