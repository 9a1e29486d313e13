import type { Writable } from 'node:stream';

// Back-pressure: a writer waits while its output is full, and stops when the download is gone.


/** The download was abandoned (the client went away): stop reading the database. */
export class ExportAborted extends Error {
  constructor() {
    super('export aborted: the output was closed');
    this.name = 'ExportAborted';
  }
}

/** A writable stream, Node's own or an older readable-stream one (archiver's). */
export type WritableLike = Pick<Writable, 'on' | 'off' | 'destroyed'> & {
  writableNeedDrain?: boolean;
  _writableState?: { needDrain?: boolean };
};

function needsDrain(out: WritableLike): boolean {
  return out.writableNeedDrain ?? out._writableState?.needDrain ?? false;
}

/** Resolves once `out` can take more; rejects if it closes or fails first. */
export function drained(out: WritableLike): Promise<void> {
  if (out.destroyed) return Promise.reject(new ExportAborted());
  if (!needsDrain(out)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', onError);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onClose = () => {
      cleanup();
      reject(new ExportAborted());
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', onError);
  });
}
