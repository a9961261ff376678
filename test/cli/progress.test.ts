import { progressLine } from '../../bin/commands/progress';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) > 0 };
}

describe('progressLine', () => {
  test('on a terminal: one rewritten line, thinned out, cleared when done', () => {
    const tty = stream(true);
    const progress = progressLine({ stream: tty, intervalMs: 60_000 });
    progress.update('synthesizing… 1 s');
    progress.update('synthesizing… 2 s'); // within the interval: skipped
    progress.update('comparing', true); // a new phase: drawn at once
    progress.done();
    expect(tty.written).toEqual(['\r\x1b[Ksynthesizing… 1 s', '\r\x1b[Kcomparing', '\r\x1b[K']);
  });

  test('quiet when the stream is not a terminal, or when asked (--json)', () => {
    const piped = stream(false);
    const p1 = progressLine({ stream: piped });
    p1.update('x', true);
    p1.done();
    const tty = stream(true);
    const p2 = progressLine({ stream: tty, quiet: true });
    p2.update('x', true);
    p2.done();
    expect([piped.written, tty.written]).toEqual([[], []]);
  });
});
