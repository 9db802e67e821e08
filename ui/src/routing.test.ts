import { describe, expect, it } from 'vitest';
import { matchRoute } from './routing';

describe('route matching', () => {
  it('extracts decoded parameters', () => {
    expect(matchRoute('/workflows/:namespace/:name', '/workflows/ns/a%20b')).toEqual({ namespace: 'ns', name: 'a b' });
  });

  it('optional parameters may be absent', () => {
    expect(matchRoute('/workflows/:namespace?', '/workflows')).toEqual({});
    expect(matchRoute('/workflows/:namespace?', '/workflows/x')).toEqual({ namespace: 'x' });
  });

  it('extra segments and other prefixes do not match', () => {
    expect(matchRoute('/workflows/:namespace?', '/workflows/x/y')).toBeNull();
    expect(matchRoute('/version', '/login')).toBeNull();
  });
});
