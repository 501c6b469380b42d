// A small FHIR REST client: JSON in and out, the user's bearer token on every request, OperationOutcomes as errors.

/** A refused or failed request; `messages` are the OperationOutcome's readable diagnostics. */
export class FhirError extends Error {
  constructor(status, messages, issues = []) {
    super(messages.join('\n') || `HTTP ${status}`);
    this.status = status;
    this.messages = messages;
    this.issues = issues;
  }
}

export class FhirClient {
  constructor(baseUrl, accessToken = null) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.accessToken = accessToken;
  }

  async request(method, path, body, extraHeaders = {}) {
    // no-cache: HAPI would otherwise answer a repeated search from its result cache for up to a minute
    const headers = { Accept: 'application/fhir+json', 'Cache-Control': 'no-cache', ...extraHeaders };
    if (body !== undefined) headers['Content-Type'] = 'application/fhir+json';
    if (this.accessToken) headers.Authorization = `Bearer ${this.accessToken}`;
    const url = path.startsWith('http') ? path : `${this.baseUrl}/${path.replace(/^\//, '')}`;
    let response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new FhirError(0, [`Network error: ${e.message}`]);
    }
    const text = await response.text();
    const json = text ? safeParse(text) : null;
    if (!response.ok) {
      const issues = json && json.resourceType === 'OperationOutcome' ? json.issue || [] : [];
      const messages = issues.map((i) => i.diagnostics || i.details?.text || i.code).filter(Boolean);
      throw new FhirError(response.status, messages.length ? messages : [`HTTP ${response.status}`], issues);
    }
    return json;
  }

  get(path) {
    return this.request('GET', path);
  }

  post(path, resource) {
    return this.request('POST', path, resource);
  }

  /** Updates a resource, refusing to overwrite a newer version than the one read. */
  put(resource) {
    const headers = resource.meta?.versionId ? { 'If-Match': `W/"${resource.meta.versionId}"` } : {};
    return this.request('PUT', `${resource.resourceType}/${encodeURIComponent(resource.id)}`, resource, headers);
  }

  /** Every resource of a search, following `next` links up to `maxPages` pages. */
  async searchAll(path, maxPages = 20) {
    const resources = [];
    let bundle = await this.get(path);
    for (let page = 1; bundle; page++) {
      (bundle.entry || []).forEach((e) => e.resource && resources.push(e.resource));
      const next = (bundle.link || []).find((l) => l.relation === 'next');
      bundle = next && page < maxPages ? await this.get(next.url) : null;
    }
    return resources;
  }
}

function safeParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
