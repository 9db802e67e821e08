import { describe, expect, it, vi } from 'vitest';
import { deliverUnlessCancelled } from './delivery';

describe('deliverUnlessCancelled', () => {
  it('hands on the value or the error while not cancelled', async () => {
    const onValue = vi.fn();
    const onError = vi.fn();
    deliverUnlessCancelled(Promise.resolve(1), onValue, onError);
    deliverUnlessCancelled(Promise.reject(new Error('no')), onValue, onError);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(onValue).toHaveBeenCalledWith(1);
    expect(onError).toHaveBeenCalledWith(new Error('no'));
  });

  it('drops an outcome that arrives after the cancel', async () => {
    const onValue = vi.fn();
    const onError = vi.fn();
    deliverUnlessCancelled(Promise.resolve(1), onValue, onError)();
    deliverUnlessCancelled(Promise.reject(new Error('no')), onValue, onError)();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(onValue).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });
});
