// The error the API client throws for a non-2xx answer; carries the HTTP status and the server's
// `{code, message}` body. Must not decide what the page does with it (except 401, in client.ts).

export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** Reads the message out of a grpc-gateway error body, falling back to the status text. */
export function errorMessage(status: number, statusText: string, body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string' && parsed.message !== '') {
      return parsed.message;
    }
    // A gRPC status without a message (e.g. `{"code":12}` from a service this server lacks).
    if (parsed && typeof parsed === 'object' && 'code' in parsed) return `${status} ${statusText}`.trim();
  } catch {
    // not JSON: fall through to the raw text
  }
  const text = body.trim();
  return text.length > 0 ? text : `${status} ${statusText}`;
}
