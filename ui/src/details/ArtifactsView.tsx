// A node's input and output artifacts with where they are stored, a shareable link to each row,
// and a download link once the server serves artifact files (disabled, with the reason, before).
// Must not read artifact contents.

import { useEffect, useState } from 'react';
import { artifactLocation, artifactUrl, downloadsServed, type ArtifactDirection } from '../api/artifacts';
import type { Artifact, NodeStatus, Workflow } from '../api/types';
import { Link } from '../routing';

const NOT_SERVED = 'This server does not serve artifact downloads yet';

interface Row {
  direction: ArtifactDirection;
  artifact: Artifact;
  url: string;
}

interface Props {
  workflow: Workflow;
  node: NodeStatus;
  archived?: boolean;
  /** The artifact named in the URL (`?artifact=`), highlighted. */
  selected?: string;
  /** The in-app route that opens this node's artifacts with `name` highlighted. */
  linkTo?: (name: string) => string;
}

export function ArtifactsView({ workflow, node, archived = false, selected, linkTo }: Props) {
  const rows: Row[] = (['inputs', 'outputs'] as const).flatMap((direction) =>
    (node[direction]?.artifacts ?? []).map((artifact) => ({ direction, artifact, url: artifactUrl(workflow, node, direction, artifact, archived) })),
  );
  const [served, setServed] = useState<boolean>();
  const probe = rows.find((r) => !r.artifact.deleted)?.url;

  useEffect(() => {
    if (!probe) return undefined;
    let live = true;
    void downloadsServed(probe).then((ok) => live && setServed(ok));
    return () => {
      live = false;
    };
  }, [probe]);

  if (rows.length === 0) return <p className="muted">This node has no artifacts.</p>;
  return (
    <div className="table-wrap artifacts">
      <table aria-label="Artifacts">
        <thead>
          <tr><th>Name</th><th>Path</th><th>Stored in</th><th>Download</th></tr>
        </thead>
        <tbody>
          {rows.map(({ direction, artifact, url }) => (
            <tr key={`${direction}/${artifact.name}`} aria-current={selected === artifact.name ? 'true' : undefined}
              className={selected === artifact.name ? 'selected' : undefined}>
              <td>
                {linkTo ? <Link to={linkTo(artifact.name)} title="Link to this artifact">{artifact.name}</Link> : artifact.name}
                <span className="tag">{direction === 'inputs' ? 'input' : 'output'}</span>
              </td>
              <td>{artifact.path ?? '-'}</td>
              <td>{artifactLocation(artifact) ?? '-'}</td>
              <td>
                {artifact.deleted ? (
                  <span className="muted">deleted</span>
                ) : served ? (
                  <a href={url} download={artifact.name}>Download</a>
                ) : (
                  <a className="disabled" aria-disabled="true" role="link" title={served === undefined ? 'Checking whether the server serves artifacts…' : NOT_SERVED}>
                    Download
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {served === false && <p className="muted">{NOT_SERVED}: the links above will work once it does.</p>}
    </div>
  );
}
