// Side panel for one node: summary (inputs, outputs, container, duration and estimated remaining
// time), logs, the pod's events, artifacts, and the node actions (retry this node; set a suspended
// node's outputs and resume it). The open tab can be kept by the caller so that
// `?node=…&panel=logs` (or `events`, `artifacts`) links straight to it.

import { useState } from 'react';
import type { ContainerSpec, NodeStatus, Parameter, Template, Workflow } from '../api/types';
import { workflowAction } from '../api/workflows';
import { ErrorNotice } from '../components/ErrorNotice';
import { PhaseBadge } from '../components/PhaseBadge';
import { durationSeconds, estimatedRemaining, formatDuration, formatTime } from '../format';
import { Markdown } from '../markdown/Markdown';
import { ArtifactsView } from './ArtifactsView';
import { EventsView } from './EventsView';
import { LogsViewer, type LogOptions } from './LogsViewer';
import { podName } from './podName';

function ParamList({ title, params }: { title: string; params?: Parameter[] }) {
  if (!params || params.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <dl className="facts">
        {params.map((p) => (
          <div key={p.name}><dt>{p.name}</dt><dd>{p.value ?? p.default ?? ''}</dd></div>
        ))}
      </dl>
    </>
  );
}

/** The containers a node's template runs, each with its name (`main` for a plain container or script). */
export function templateContainers(template: Template | undefined): (ContainerSpec & { name: string })[] {
  if (!template) return [];
  const named = (list: ContainerSpec[] | undefined, fallback: string) => (list ?? []).map((c, i) => ({ ...c, name: c.name ?? `${fallback}-${i}` }));
  const main = template.containerSet?.containers
    ? named(template.containerSet.containers, 'container')
    : template.container || template.script
      ? [{ ...(template.container ?? template.script), name: 'main' }]
      : [];
  return [...named(template.initContainers, 'init'), ...main, ...named(template.sidecars, 'sidecar')];
}

/**
 * The containers offered in the logs picker: the template's (`main` first; just `main` when the
 * template is not in the workflow, e.g. it came from a WorkflowTemplate), then Argo's init and wait.
 */
function logContainers(containers: { name: string }[]): string[] {
  const names = containers.map((c) => c.name);
  const first = names.includes('main') || names.length === 0 ? ['main'] : [];
  return [...new Set([...first, ...names, 'init', 'wait'])];
}

interface Props {
  workflow: Workflow;
  node: NodeStatus;
  onClose: () => void;
  onChanged: (w: Workflow) => void;
  /** The open tab, kept by the caller (in the URL) so a link can open a node's logs. */
  tab?: NodeTab;
  onTab?: (tab: NodeTab) => void;
  /** An archived workflow: no actions, artifacts addressed by uid. */
  archived?: boolean;
  /** The artifact to highlight (`?artifact=`) and how to link to one. */
  selectedArtifact?: string;
  artifactLink?: (name: string) => string;
  /** The logs tab's container and grep, kept by the caller (in the URL). */
  logOptions?: LogOptions;
  onLogOptions?: (options: LogOptions) => void;
}

export const NODE_TABS = ['summary', 'logs', 'events', 'artifacts'] as const;
export type NodeTab = (typeof NODE_TABS)[number];

export function NodePanel({ workflow, node, onClose, onChanged, tab: shownTab, onTab, archived = false, selectedArtifact, artifactLink, logOptions, onLogOptions }: Props) {
  const [localTab, setLocalTab] = useState<NodeTab>('summary');
  const tab = shownTab ?? localTab;
  const setTab = onTab ?? setLocalTab;
  const [error, setError] = useState<unknown>();
  const [outputs, setOutputs] = useState<Record<string, string>>({});
  const ns = workflow.metadata.namespace ?? '';
  const name = workflow.metadata.name ?? '';
  const template = [...(workflow.spec.templates ?? []), ...(workflow.status?.storedWorkflowTemplateSpec?.templates ?? [])].find((t) => t.name === node.templateName);
  const isPod = node.type === 'Pod';
  const suspended = node.type === 'Suspend' && node.phase === 'Running';
  const remaining = node.finishedAt ? undefined : estimatedRemaining(node.startedAt, node.estimatedDuration);
  const containers = templateContainers(template);
  const artifactCount = (node.inputs?.artifacts?.length ?? 0) + (node.outputs?.artifacts?.length ?? 0);
  const tabs = NODE_TABS.filter((t) => (t !== 'logs' && t !== 'events') || isPod);
  const label: Record<NodeTab, string> = { summary: 'Summary', logs: 'Logs', events: 'Events', artifacts: `Artifacts (${artifactCount})` };
  const selector = `id=${node.id}`;

  const act = (body: Record<string, unknown>, action: 'retry' | 'resume' | 'set') =>
    workflowAction(ns, name, action, body).then(onChanged, setError);

  return (
    <aside className="node-panel" aria-label={`Node ${node.displayName ?? node.name}`}>
      <header>
        <h2>{node.displayName ?? node.name}</h2>
        <button type="button" onClick={onClose} aria-label="Close node panel">×</button>
      </header>
      <div role="tablist">
        {tabs.map((t) => (
          <button key={t} role="tab" type="button" aria-selected={tab === t} onClick={() => setTab(t)}>{label[t]}</button>
        ))}
      </div>
      <ErrorNotice error={error} />
      {tab === 'summary' && (
        <div>
          <dl className="facts">
            <div><dt>Phase</dt><dd><PhaseBadge phase={node.phase} /></dd></div>
            <div><dt>Type</dt><dd>{node.type}</dd></div>
            <div><dt>Template</dt><dd>{node.templateName ?? '-'}</dd></div>
            <div><dt>ID</dt><dd>{node.id}</dd></div>
            {isPod && <div><dt>Pod</dt><dd>{podName(workflow, node)}</dd></div>}
            <div><dt>Started</dt><dd>{formatTime(node.startedAt)}</dd></div>
            <div><dt>Duration</dt><dd>{formatDuration(durationSeconds(node.startedAt, node.finishedAt))}</dd></div>
            <div><dt>Estimated remaining</dt><dd>{formatDuration(remaining)}</dd></div>
            {node.message && <div><dt>Message</dt><dd><Markdown inline text={node.message} /></dd></div>}
          </dl>
          <ParamList title="Inputs" params={node.inputs?.parameters} />
          <ParamList title="Outputs" params={node.outputs?.parameters} />
          {node.outputs?.result !== undefined && (<><h3>Result</h3><pre>{node.outputs.result}</pre></>)}
          {containers.length > 0 && (
            <>
              <h3>{containers.length === 1 ? 'Container' : 'Containers'}</h3>
              {containers.map((c) => (
                <dl className="facts" key={c.name} aria-label={`Container ${c.name}`}>
                  {containers.length > 1 && <div><dt>Name</dt><dd>{c.name}</dd></div>}
                  <div><dt>Image</dt><dd>{c.image ?? '-'}</dd></div>
                  {c.command && <div><dt>Command</dt><dd>{c.command.join(' ')}</dd></div>}
                  {c.args && <div><dt>Args</dt><dd>{c.args.join(' ')}</dd></div>}
                </dl>
              ))}
            </>
          )}
          {!archived && <div className="actions">
            <button type="button" disabled={!workflow.status?.finishedAt}
              onClick={() => void act({ nodeFieldSelector: selector, restartSuccessful: true }, 'retry')}>Retry node</button>
          </div>}
          {suspended && !archived && (
            <form
              aria-label="Set outputs and resume"
              onSubmit={(e) => {
                e.preventDefault();
                const values = Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== ''));
                void act({ nodeFieldSelector: selector, outputParameters: JSON.stringify(values), phase: 'Succeeded' }, 'set');
              }}
            >
              <h3>Outputs to set</h3>
              {(template?.inputs?.parameters ?? []).map((p) => (
                <label key={p.name}>
                  {p.name}
                  {p.enum ? (
                    <select value={outputs[p.name] ?? p.default ?? ''} onChange={(e) => setOutputs({ ...outputs, [p.name]: e.target.value })}>
                      {p.enum.map((v) => <option key={v}>{v}</option>)}
                    </select>
                  ) : (
                    <input value={outputs[p.name] ?? p.default ?? ''} onChange={(e) => setOutputs({ ...outputs, [p.name]: e.target.value })} />
                  )}
                </label>
              ))}
              <button type="submit">Set and resume</button>
            </form>
          )}
        </div>
      )}
      {tab === 'logs' && isPod && <LogsViewer namespace={ns} name={name} podName={podName(workflow, node)} containers={logContainers(containers)}
        options={logOptions} onOptions={onLogOptions} />}
      {tab === 'events' && isPod && <EventsView namespace={ns} target={{ kind: 'Pod', name: podName(workflow, node) }} />}
      {tab === 'artifacts' && (
        <ArtifactsView workflow={workflow} node={node} archived={archived} selected={selectedArtifact}
          linkTo={artifactLink} />
      )}
    </aside>
  );
}
