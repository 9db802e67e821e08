// Renders Markdown (see markdown.ts) as React elements: never as HTML, so text from a workflow
// cannot inject markup or script. `inline` renders one line without block wrappers (titles,
// messages in tables). Headings are shifted below the page's own headings.

import { Fragment, type ReactNode } from 'react';
import { parseInline, parseMarkdown, type Inline } from './markdown';

function inlines(nodes: Inline[]): ReactNode[] {
  return nodes.map((n, i) => {
    switch (n.kind) {
      case 'text':
        return <Fragment key={i}>{n.text}</Fragment>;
      case 'code':
        return <code key={i}>{n.text}</code>;
      case 'strong':
        return <strong key={i}>{inlines(n.children)}</strong>;
      case 'em':
        return <em key={i}>{inlines(n.children)}</em>;
      case 'link':
        return (
          <a key={i} href={n.href} target={/^https?:/i.test(n.href) ? '_blank' : undefined} rel="noopener noreferrer">
            {inlines(n.children)}
          </a>
        );
    }
    return null;
  });
}

export function Markdown({ text, inline = false, className }: { text: string; inline?: boolean; className?: string }) {
  if (inline) return <span className={className ?? 'markdown'}>{inlines(parseInline(text.replace(/\s*\n\s*/g, ' ')))}</span>;
  return (
    <div className={className ?? 'markdown'}>
      {parseMarkdown(text).map((b, i) => {
        switch (b.kind) {
          case 'heading': {
            const Tag = `h${Math.min(6, b.level + 2)}` as 'h3';
            return <Tag key={i}>{inlines(b.children)}</Tag>;
          }
          case 'paragraph':
            return <p key={i}>{inlines(b.children)}</p>;
          case 'list': {
            const Tag = b.ordered ? 'ol' : 'ul';
            return <Tag key={i}>{b.items.map((item, j) => <li key={j}>{inlines(item)}</li>)}</Tag>;
          }
          case 'code':
            return <pre key={i}><code>{b.text}</code></pre>;
        }
        return null;
      })}
    </div>
  );
}

export const TITLE_ANNOTATION = 'workflows.argoproj.io/title';
export const DESCRIPTION_ANNOTATION = 'workflows.argoproj.io/description';
