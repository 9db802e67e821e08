import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../App';
import { ENDPOINTS } from '../api/catalogue';
import { navigate } from '../routing';
import { curlCommand } from './ApiDocsPage';

afterEach(() => window.history.replaceState(null, '', '/'));

describe('API docs page', () => {
  it('lists every service and filters endpoints', () => {
    act(() => navigate('/apidocs'));
    render(<App />);
    expect(screen.getByRole('region', { name: 'CronWorkflowService' })).toBeTruthy();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter endpoints' }), { target: { value: 'suspend' } });
    expect(screen.getAllByRole('region').map((r) => r.getAttribute('aria-label'))).toEqual(['WorkflowService', 'CronWorkflowService']);
  });

  it('writes curl lines for plain, body and streaming calls', () => {
    const find = (rpc: string) => ENDPOINTS.find((e) => e.rpc === rpc) ?? (() => { throw new Error(rpc); })();
    expect(curlCommand(find('GetVersion'), 'https://argo.example')).toBe(`curl -H "Authorization: $ARGO_TOKEN" 'https://argo.example/api/v1/version'`);
    expect(curlCommand(find('SuspendCronWorkflow'), 'http://h')).toContain(`-X PUT -H "Content-Type: application/json" -d '{}'`);
    expect(curlCommand(find('WatchWorkflows'), 'http://h')).toContain('-H "Accept: text/event-stream" -N');
  });
});
