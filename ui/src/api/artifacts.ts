// Where a node's artifacts can be downloaded (`artifact-files/…`, Argo Server's path) and whether
// this server serves them. Must not fetch artifact contents.

import type { Artifact, NodeStatus, Workflow } from './types';
import { apiUrl } from './base';

export type ArtifactDirection = 'inputs' | 'outputs';

/** The download URL of one artifact of a node (archived workflows are addressed by uid). */
export function artifactUrl(workflow: Workflow, node: NodeStatus, direction: ArtifactDirection, artifact: Artifact, archived = false): string {
  const ns = encodeURIComponent(workflow.metadata.namespace ?? '');
  const owner = archived ? `archived-workflows/${encodeURIComponent(workflow.metadata.uid ?? '')}` : `workflows/${encodeURIComponent(workflow.metadata.name ?? '')}`;
  return apiUrl(`artifact-files/${ns}/${owner}/${encodeURIComponent(node.id)}/${direction}/${encodeURIComponent(artifact.name)}`);
}

const STORAGE_KINDS = ['s3', 'gcs', 'oss', 'azure', 'hdfs', 'http', 'git', 'artifactory', 'raw', 'local'] as const;

/** The storage an artifact lives in, as `kind: key` (e.g. `s3: my-bucket/path/file.tgz`). */
export function artifactLocation(artifact: Artifact): string | undefined {
  const fields = artifact as unknown as Record<string, unknown>;
  for (const kind of STORAGE_KINDS) {
    const location = fields[kind];
    if (!location || typeof location !== 'object') continue;
    const l = location as Record<string, unknown>;
    const key = [l.bucket ?? l.container, l.key ?? l.blob ?? l.path ?? l.url ?? l.repo].filter((part) => typeof part === 'string' && part !== '').join('/');
    return key ? `${kind}: ${key}` : kind;
  }
  return undefined;
}

/**
 * Whether the server answers the download URL with a file: a HEAD that succeeds and is not the
 * UI's own index page (which the gateway serves for paths it does not know).
 */
export async function downloadsServed(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { method: 'HEAD', credentials: 'same-origin' });
    const type = response.headers.get('Content-Type') ?? '';
    return response.ok && !type.startsWith('text/html');
  } catch {
    return false;
  }
}
