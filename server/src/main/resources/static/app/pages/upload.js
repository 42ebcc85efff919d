import { session } from '../auth.js';
import { fhir, params, valueOf } from '../fhir.js';
import { currentLanguage, t } from '../i18n.js';
import { download, h, table } from './html.js';

/**
 * Follow-up visits from a spreadsheet: the template of a time point (with help in the person's language), and the
 * filled-in file sent to $report-visits. The hub stores the whole file or nothing; its problems are listed by line
 * and column, as in the spreadsheet.
 */
export async function render(view) {
  const templates = h('p', { class: 'toolbar' }, t('upload.template') + ' ',
    ...['D100', 'M6', 'yearly'].map(point => h('button', { type: 'button', id: 'template-' + point, onclick: async () => {
      const text = await template(point);
      download(`visit-report-${point}.csv`, text, 'text/csv;charset=utf-8');
    } }, point === 'yearly' ? t('upload.yearly') : point)));
  const file = h('input', { type: 'file', id: 'upload-file', accept: '.csv,text/csv', required: true });
  const encoding = h('select', { id: 'upload-encoding' },
    h('option', { value: '' }, t('upload.utf8')), h('option', { value: 'GB18030' }, 'GB18030 (中文 Excel)'),
    h('option', { value: 'windows-1258' }, 'Windows-1258 (Excel tiếng Việt)'));
  const outcome = h('div', { id: 'upload-outcome', 'aria-live': 'polite' });
  const form = h('form', { class: 'grid', id: 'upload-form', onsubmit: async event => {
    event.preventDefault();
    outcome.replaceChildren(h('p', {}, t('app.loading')));
    if (!file.files.length) return;
    try {
      const summary = await fhir('$report-visits', { method: 'POST', raw: file.files[0],
        headers: { 'Content-Type': 'text/csv' + (encoding.value ? '; charset=' + encoding.value : '') } });
      outcome.replaceChildren(h('p', { class: 'status-done', id: 'upload-stored' },
        t('upload.stored').replace('{visits}', valueOf(summary, 'visits')).replace('{created}', valueOf(summary, 'created'))
          .replace('{existing}', valueOf(summary, 'existing'))),
      table([t('col.line'), t('col.patient'), t('col.visit')], params(summary, 'visit').map(visit => ({
        cells: [valueOf(visit, 'line'), h('a', { href: '#/' + valueOf(visit, 'patient').reference.replace('Patient/', 'patient/') },
          valueOf(visit, 'patient').reference), valueOf(visit, 'timepoint')] }))));
    } catch (error) {
      const issues = error.outcome?.issue || [];
      outcome.replaceChildren(h('p', { class: 'error', id: 'upload-refused' }, t('upload.refused')),
        issues.length ? table([t('col.where'), t('col.problem')], issues.map(issue => ({
          cells: [(issue.location || [])[0] || '', (issue.diagnostics || '').replace(/^(Line \d+(, column [^:]*)?|File): /, '')] })))
          : h('p', {}, error.message));
    }
  } },
  h('label', { for: 'upload-file' }, t('upload.file')), file,
  h('label', { for: 'upload-encoding' }, t('upload.encoding')), encoding,
  h('div', {}), h('div', {}, h('button', { type: 'submit', id: 'upload-send' }, t('upload.send'))));
  view.replaceChildren(h('h1', {}, t('upload.title')), h('p', { class: 'muted' }, t('upload.help')), templates, form, outcome);
}

async function template(point) {
  const response = await fetch(`/fhir/$visit-template?timepoint=${point}&lang=${currentLanguage()}`,
    { headers: { Authorization: 'Bearer ' + session().token } });
  if (!response.ok) throw new Error('HTTP ' + response.status);
  return response.blob();
}
