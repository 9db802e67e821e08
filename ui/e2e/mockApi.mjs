// The REST side of the journeys' stand-in server: an in-memory store of workflows, templates,
// cluster templates, cron workflows, archived workflows and event bindings, answering the paths
// the pages call with Argo Server's JSON shapes and error bodies. Test-only; never shipped.

const WFT = '/api/v1/workflow-templates/';
const CWFT = '/api/v1/cluster-workflow-templates';
const CRON = '/api/v1/cron-workflows/';

/** Splits `a=b,c in (x,y),!d` into requirements and tests a label map against them. */
export function matchesSelector(selector, labels = {}) {
  if (!selector) return true;
  const parts = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return parts.every((raw) => {
    const part = raw.trim();
    let m;
    if ((m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part))) {
      const values = m[3].split(',').map((v) => v.trim());
      return m[2] === 'in' ? values.includes(labels[m[1]]) : !values.includes(labels[m[1]]);
    }
    if ((m = /^([^!=]+)!=(.*)$/.exec(part))) return labels[m[1].trim()] !== m[2].trim();
    if ((m = /^([^!=]+)==?(.*)$/.exec(part))) return labels[m[1].trim()] === m[2].trim();
    if (part.startsWith('!')) return !(part.slice(1) in labels);
    return part in labels;
  });
}

const status = (code, message) => ({ status: code, body: { code: { 400: 3, 404: 5, 409: 6 }[code] ?? 2, message } });
const ok = (body) => ({ status: 200, body });

function lint(spec, what) {
  if (!spec?.entrypoint) return `${what}: spec.entrypoint is required`;
  if (!(spec.templates ?? []).some((t) => t.name === spec.entrypoint)) return `${what}: spec.entrypoint template "${spec.entrypoint}" not found`;
  return undefined;
}

/** Builds the stateful API. `workflows` seeds the live workflows by name. */
export function createMockApi({ workflows }) {
  let clock = Date.parse('2024-05-01T00:00:00Z');
  let serial = 0;
  const tick = () => new Date((clock += 60_000)).toISOString();
  const meta = (m, namespace) => ({ ...m, namespace, uid: `uid-${++serial}`, resourceVersion: '1', creationTimestamp: tick() });
  const templates = new Map();
  const clusterTemplates = new Map();
  const crons = new Map([
    ['hourly', {
      metadata: { name: 'hourly', namespace: 'argo', uid: 'cron-1', creationTimestamp: '2024-04-01T00:00:00Z' },
      spec: { schedules: ['0 * * * *'], timezone: 'UTC', workflowSpec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'busybox' } }] } },
      status: { lastScheduledTime: '2024-05-01T00:00:00Z', succeeded: 3, failed: 0 },
    }],
  ]);
  const archived = ['blue', 'green', 'blue'].map((team, i) => ({
    metadata: { name: `nightly-${i}`, namespace: 'argo', uid: `arch-${i}`, labels: { team, 'workflows.argoproj.io/phase': i === 2 ? 'Failed' : 'Succeeded' }, creationTimestamp: `2024-04-0${i + 1}T00:00:00Z` },
    spec: { entrypoint: 'main', arguments: { parameters: [{ name: 'day', value: String(i) }] }, templates: [{ name: 'main', container: { image: 'busybox' } }] },
    status: { phase: i === 2 ? 'Failed' : 'Succeeded', startedAt: `2024-04-0${i + 1}T00:00:00Z`, finishedAt: `2024-04-0${i + 1}T00:05:00Z`, nodes: {} },
  }));
  const bindings = [{
    metadata: { name: 'on-push', namespace: 'argo', uid: 'b-1' },
    spec: { event: { selector: 'payload.ref == "main"' }, submit: { workflowTemplateRef: { name: 'build' }, arguments: { parameters: [{ name: 'sha', valueFrom: { event: 'payload.after' } }] } } },
  }];

  const runFrom = (namespace, kind, source, name, options = {}) => {
    const spec = kind === 'CronWorkflow' ? source.spec.workflowSpec : source.spec;
    const given = Object.fromEntries((options.parameters ?? []).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
    const parameters = (spec.arguments?.parameters ?? []).map((p) => ({ ...p, value: given[p.name] ?? p.value ?? p.default }));
    const wfName = `${name}-${++serial}`;
    const labelPairs = (options.labels ?? '').split(',').filter(Boolean).map((l) => l.split('='));
    const labels = { ...Object.fromEntries(labelPairs), [kind === 'CronWorkflow' ? 'workflows.argoproj.io/cron-workflow' : 'workflows.argoproj.io/workflow-template']: name };
    const started = tick();
    const wf = {
      metadata: { name: wfName, namespace, uid: `uid-${wfName}`, labels, creationTimestamp: started },
      spec: { entrypoint: options.entryPoint ?? spec.entrypoint, arguments: { parameters }, workflowTemplateRef: kind === 'CronWorkflow' ? undefined : { name, clusterScope: kind === 'ClusterWorkflowTemplate' } },
      status: { phase: 'Running', startedAt: started, nodes: { [wfName]: { id: wfName, name: wfName, displayName: wfName, type: 'Pod', phase: 'Running', templateName: spec.entrypoint, startedAt: started } } },
    };
    workflows[wfName] = wf;
    return wf;
  };

  /** CRUD + lint over one map of template-like objects; `key` names the body field. */
  const crud = (store, method, rest, body, { key, namespace, what }) => {
    if (rest === '' && method === 'GET') {
      return ok({ metadata: {}, items: [...store.values()].filter((t) => matchesSelector(body.labelSelector, t.metadata.labels) && (!body.namePattern || t.metadata.name.includes(body.namePattern))) });
    }
    if (rest === 'lint' && method === 'POST') {
      const problem = lint(key === 'cronWorkflow' ? body[key]?.spec?.workflowSpec : body[key]?.spec, what);
      return problem ? status(400, problem) : ok(body[key]);
    }
    if (rest === '' && method === 'POST') {
      const obj = body[key];
      const name = obj?.metadata?.name;
      if (!name) return status(400, `${what}: metadata.name is required`);
      if (store.has(name)) return status(409, `${what} "${name}" already exists`);
      const problem = lint(key === 'cronWorkflow' ? obj.spec?.workflowSpec : obj.spec, what);
      if (problem) return status(400, problem);
      const created = { ...obj, metadata: meta(obj.metadata, namespace) };
      store.set(name, created);
      return ok(created);
    }
    const [name, action] = rest.split('/');
    const existing = store.get(decodeURIComponent(name));
    if (!existing) return status(404, `${what} "${name}" not found`);
    if (!action && method === 'GET') return ok(existing);
    if (!action && method === 'DELETE') { store.delete(existing.metadata.name); return ok({}); }
    if (!action && method === 'PUT') {
      const updated = { ...body[key], metadata: { ...body[key].metadata, resourceVersion: String(Number(existing.metadata.resourceVersion ?? 1) + 1) } };
      store.set(existing.metadata.name, updated);
      return ok(updated);
    }
    if (key === 'cronWorkflow' && method === 'PUT' && (action === 'suspend' || action === 'resume')) {
      existing.spec = { ...existing.spec, suspend: action === 'suspend' };
      return ok(existing);
    }
    return status(404, `no route ${method} ${rest}`);
  };

  const archive = (method, rest, query) => {
    if (rest === '' && method === 'GET') {
      const ns = query.get('namespace');
      const prefix = query.get('namePrefix') ?? '';
      const items = archived.filter((w) => (!ns || w.metadata.namespace === ns) && w.metadata.name.startsWith(prefix) && matchesSelector(query.get('listOptions.labelSelector'), w.metadata.labels));
      return ok({ metadata: {}, items });
    }
    const [uid, action] = rest.split('/');
    const wf = archived.find((w) => w.metadata.uid === uid);
    if (!wf) return status(404, `archived workflow ${uid} not found`);
    if (!action && method === 'GET') return ok(wf);
    if (!action && method === 'DELETE') { archived.splice(archived.indexOf(wf), 1); return ok({}); }
    if (action === 'retry' || action === 'resubmit') {
      const copy = runFrom(wf.metadata.namespace, 'Workflow', wf, wf.metadata.name, {});
      return ok(copy);
    }
    return status(404, `no route ${method} ${rest}`);
  };

  /** Answers an API request, or returns undefined when the path is not one of these resources. */
  return function handle(method, path, query, body = {}) {
    const q = { labelSelector: query.get('listOptions.labelSelector'), namePattern: query.get('namePattern'), ...body };
    if (path === '/api/v1/workflows/argo' && method === 'GET') {
      const items = Object.values(workflows)
        .filter((w) => matchesSelector(query.get('listOptions.labelSelector'), w.metadata.labels))
        .map((w) => ({ metadata: w.metadata, status: { phase: w.status.phase, startedAt: w.status.startedAt } }));
      return ok({ items, metadata: {} });
    }
    if (path === '/api/v1/workflows/argo/submit' && method === 'POST') {
      const { resourceKind: kind, resourceName: name, submitOptions } = body;
      const source = kind === 'CronWorkflow' ? crons.get(name) : kind === 'ClusterWorkflowTemplate' ? clusterTemplates.get(name) : templates.get(name);
      if (!source) return status(404, `${kind} "${name}" not found`);
      return ok(runFrom('argo', kind, source, name, submitOptions));
    }
    if (path.startsWith(`${WFT}argo`)) return crud(templates, method, path.slice(`${WFT}argo`.length).replace(/^\//, ''), q, { key: 'template', namespace: 'argo', what: 'WorkflowTemplate' });
    if (path.startsWith(CWFT)) return crud(clusterTemplates, method, path.slice(CWFT.length).replace(/^\//, ''), q, { key: 'template', namespace: undefined, what: 'ClusterWorkflowTemplate' });
    if (path.startsWith(`${CRON}argo`)) return crud(crons, method, path.slice(`${CRON}argo`.length).replace(/^\//, ''), q, { key: 'cronWorkflow', namespace: 'argo', what: 'CronWorkflow' });
    if (path === '/api/v1/archived-workflows-label-keys') return ok({ items: [...new Set(archived.flatMap((w) => Object.keys(w.metadata.labels ?? {})))].sort() });
    if (path === '/api/v1/archived-workflows-label-values') {
      const key = query.get('listOptions.labelSelector');
      return ok({ items: [...new Set(archived.map((w) => w.metadata.labels?.[key]).filter(Boolean))].sort() });
    }
    if (path.startsWith('/api/v1/archived-workflows')) return archive(method, path.slice('/api/v1/archived-workflows'.length).replace(/^\//, ''), query);
    if (path === '/api/v1/workflow-event-bindings/argo') return ok({ items: bindings });
    return undefined;
  };
}
