// Shows an error (if any) in an alert region.

export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  const text = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="error">
      {text}
    </div>
  );
}
