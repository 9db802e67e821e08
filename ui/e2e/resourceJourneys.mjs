// Browser journeys over the template, cron and archive pages: create a template and submit from
// it, create, suspend and resume a cron workflow (these two also run against a real server, see
// serverJourneys.mjs), filter the archive by label and retry from it (mock seeds only).

import { strict as assert } from 'node:assert';

const TEMPLATE = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: e2e-greeting
  annotations:
    workflows.argoproj.io/description: Greets **someone**
spec:
  entrypoint: main
  arguments:
    parameters:
      - name: who
        value: world
      - name: mood
        enum: [happy, calm]
        value: happy
  templates:
    - name: main
      container:
        image: busybox
        command: [echo, hi]
`;

const CRON = `apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: e2e-cron
spec:
  schedules: ["0 * * * *"]
  timezone: UTC
  workflowSpec:
    entrypoint: main
    templates:
      - name: main
        container:
          image: busybox
          command: [echo, tick]
`;

/** Create a template from YAML (a lint error first), submit it with parameters, find the run. */
export const templateJourney = (journey, base, options = {}) =>
  journey('create a template from YAML, submit it with parameters, and find the workflow in the list', async (page) => {
    await page.goto(`${base}workflow-templates/argo`);
    await page.getByText('No WorkflowTemplates found.').waitFor();
    await page.getByRole('button', { name: 'Create new WorkflowTemplate' }).click();
    const editor = page.getByLabel('WorkflowTemplate manifest (YAML)');
    await editor.fill(TEMPLATE.replace('name: main\n      container', 'name: mian\n      container'));
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('[id="WorkflowTemplate-manifest-problems"] [role=alert]').waitFor();
    await editor.fill(TEMPLATE);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(`${base}workflow-templates/argo/e2e-greeting`);
    await page.locator('strong', { hasText: 'someone' }).waitFor();
    await page.getByRole('tab', { name: 'Submit' }).click();
    await page.getByRole('combobox', { name: 'mood' }).selectOption('calm');
    await page.getByRole('textbox', { name: 'who' }).fill('journey');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/workflows\/argo\/e2e-greeting-[a-z0-9]+$/);
    const name = page.url().split('/').pop();
    await page.getByRole('tab', { name: 'Summary' }).click();
    await page.getByRole('region', { name: 'Summary' }).getByText('journey').waitFor();
    await page.getByRole('region', { name: 'Summary' }).getByText('calm').waitFor();
    await page.getByRole('link', { name: 'Workflows', exact: true }).first().click();
    await page.getByRole('link', { name }).waitFor();
    await page.goto(`${base}workflow-templates/argo`);
    await page.getByRole('link', { name: 'e2e-greeting' }).waitFor();
    // The submit page offers the same template, with the same generated form.
    await page.goto(`${base}submit/argo?from=template`);
    await page.getByRole('combobox', { name: 'Template' }).selectOption('e2e-greeting');
    await page.getByRole('combobox', { name: 'mood' }).waitFor();
    assert.deepEqual(await page.getByRole('combobox', { name: 'mood' }).locator('option').allTextContents(), ['happy', 'calm']);
  }, { allowConsoleErrors: /status of 400/, ...options }); // the first Create is meant to fail lint

/** Create a cron workflow, suspend it, reload, resume it. */
export const cronJourney = (journey, base, options = {}) =>
  journey('create a cron workflow, suspend and resume it; the state survives a reload', async (page) => {
    await page.goto(`${base}cron-workflows/argo?new=true`);
    await page.getByLabel('CronWorkflow manifest (YAML)').fill(CRON);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(`${base}cron-workflows/argo/e2e-cron`);
    await page.getByRole('list', { name: 'Next runs' }).waitFor();
    await page.getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.reload();
    await page.getByText('None while suspended.').waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Suspend' }).waitFor();
    assert.equal(await page.getByRole('list', { name: 'Next runs' }).getByRole('listitem').count(), 5);
    await page.goto(`${base}cron-workflows/argo`);
    await page.getByRole('row', { name: /e2e-cron.*Active/ }).waitFor();
  }, options);

export async function runResourceJourneys({ journey, origin }) {
  const base = `${origin}/argo/`;
  await templateJourney(journey, base);
  await cronJourney(journey, base);

  await journey('filter the archive by label, open a failed run and retry it', async (page) => {
    await page.goto(`${base}archived-workflows/argo`);
    await page.getByRole('link', { name: 'nightly-1' }).waitFor();
    assert.equal(await page.getByRole('link', { name: /^nightly-\d$/ }).count(), 3);
    await page.getByRole('combobox', { name: 'Labels' }).fill('team=blue');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/labels=team%3Dblue/);
    await page.getByRole('link', { name: 'nightly-1' }).waitFor({ state: 'detached' });
    // the filtered page may be loading once the old rows are gone: wait for its rows to arrive
    await page.getByRole('link', { name: 'nightly-2' }).waitFor();
    assert.equal(await page.getByRole('link', { name: /^nightly-\d$/ }).count(), 2);
    await page.getByRole('link', { name: 'nightly-2' }).click();
    await page.waitForURL(`${base}archived-workflows/argo/arch-2`);
    await page.getByRole('heading', { name: /nightly-2/ }).waitFor();
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.waitForURL(/\/argo\/workflows\/argo\/nightly-2-\d+$/);
  });

  await journey('event bindings and API docs pages render', async (page) => {
    await page.goto(`${base}workflow-event-bindings/argo`);
    await page.getByText('payload.ref == "main"').waitFor();
    await page.goto(`${base}apidocs`);
    await page.getByRole('searchbox', { name: 'Filter endpoints' }).fill('cron');
    await page.getByRole('region', { name: 'CronWorkflowService' }).waitFor();
    assert.equal(await page.getByRole('region').count(), 1);
  });
}
