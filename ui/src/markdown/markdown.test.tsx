import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Markdown } from './Markdown';
import { parseInline, parseMarkdown, safeHref } from './markdown';

describe('markdown', () => {
  it('reads emphasis, strong, code and links inline', () => {
    expect(parseInline('a **b** _c_ `d` [e](https://x.io)')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'strong', children: [{ kind: 'text', text: 'b' }] },
      { kind: 'text', text: ' ' },
      { kind: 'em', children: [{ kind: 'text', text: 'c' }] },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'd' },
      { kind: 'text', text: ' ' },
      { kind: 'link', href: 'https://x.io', children: [{ kind: 'text', text: 'e' }] },
    ]);
  });

  it('leaves underscores inside words alone', () => {
    expect(parseInline('snake_case_name')).toEqual([{ kind: 'text', text: 'snake_case_name' }]);
  });

  it('refuses script and data links but keeps their text', () => {
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref(' JaVaScRiPt:alert(1)')).toBeUndefined();
    expect(safeHref('java\tscript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,x')).toBeUndefined();
    expect(safeHref('//evil.example')).toBeUndefined();
    expect(safeHref('workflows/argo')).toBe('workflows/argo');
    expect(parseInline('[click](javascript:void)')).toEqual([{ kind: 'text', text: 'click' }]);
    expect(parseInline('[click](javascript:alert(1))').some((n) => n.kind === 'link')).toBe(false);
  });

  it('reads headings, lists, code fences and paragraphs', () => {
    const blocks = parseMarkdown('# Title\n\nsome\ntext\n\n- one\n- two\n\n1. first\n\n```\n<b>x</b>\n```');
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'list', 'code']);
    expect(blocks[2]).toMatchObject({ ordered: false, items: [[{ text: 'one' }], [{ text: 'two' }]] });
    expect(blocks[4]).toEqual({ kind: 'code', text: '<b>x</b>' });
  });

  it('renders HTML in the text as text, never as elements', () => {
    const { container } = render(<Markdown text={'<img src=x onerror="alert(1)"> **bold** [ok](https://a.b)'} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror="alert(1)">');
    expect(screen.getByText('bold').tagName).toBe('STRONG');
    expect(screen.getByRole('link', { name: 'ok' }).getAttribute('rel')).toBe('noopener noreferrer');
  });
});
