// Handing an answer to a page only while the page still wants it: an effect that asks the server
// returns the cancel as its clean-up, so an answer for a filter the user has since changed (or a
// page that has gone) is dropped. No I/O of its own.

/** Calls `onValue` or `onError` with `promise`'s outcome unless the returned cancel ran first. */
export function deliverUnlessCancelled<T>(
  promise: Promise<T>,
  onValue: (value: T) => void,
  onError: (error: unknown) => void,
): () => void {
  let cancelled = false;
  promise.then(
    (value) => { if (!cancelled) onValue(value); },
    (error: unknown) => { if (!cancelled) onError(error); },
  );
  return () => { cancelled = true; };
}
