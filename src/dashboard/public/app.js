import { ApiError, changePassword, getJson, onUnauthorized, session, sessionState, signIn, signOut } from './api.js';
import { DepartmentsTable } from './departments.js';
import { configureSheetDownloads, renderDownloads, wireSheetDownloads } from './downloads.js';
import { $, announce, hideError, showError } from './dom.js';
import { wareki } from './format.js';
import { ImportPanel } from './import-sheet.js';
import { ItemsPanel } from './items.js';
import { configureOverdue, overduePath, renderOverdue, renderOverdueError } from './overdue.js';
import { destroyCharts, renderChart, renderChartError, renderTargets, seriesFrom } from './targets.js';
import { TakeUpPanel } from './take-up.js';
import { SurveysPanel } from './surveys.js';
import { OfficePanel } from './office.js';
import { ReformPanel, renderReformError } from './reform.js';
import { onViewShown, wireViews } from './views.js';
import { UsersAdminPanel } from './users-admin.js';
import { ContactsPanel } from './contacts.js';

// The page's flow: sign in with ID and password (a temporary password is changed first) → read who we are, the programs, the organization and
// today's progress → draw everything for the as-of date; a new date redraws the progress parts.

const context = {
  me: null,
  programs: [],
  programByKey: new Map(),
  programOrder: [],
  organization: null,
  today: null,
  asOf: null,
};

let departments = null;
let items = null;
let takeUp = null;
let importPanel = null;
let office = null;
let reform = null;
let usersAdmin = null;
let surveys = null;
let contacts = null;
/** Bumped on every login and logout: answers for an older session are dropped. */
let sessionGeneration = 0;
/** Bumped on every as-of load (and logout): answers for an older date are dropped. */
let loadGeneration = 0;

const isUnauthorized = (error) => error instanceof ApiError && error.status === 401;

function closeDialogs() {
  for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
}

/** The password typed at a sign-in that must change it: sent as `current` with the new one, then dropped. */
let pendingCurrent = null;

function removePasswordChange() {
  $('#password-change')?.remove();
  pendingCurrent = null;
}

function showLogin(message = '') {
  sessionGeneration++;
  loadGeneration++;
  session.clear();
  closeDialogs();
  destroyCharts();
  takeUp?.reset();
  usersAdmin?.hide();
  surveys?.hide();
  contacts?.hide();
  removePasswordChange();
  context.me = null;
  $('#dashboard').hidden = true;
  $('#session').hidden = true;
  $('#login').hidden = false;
  $('#login-message').textContent = message;
  $('#password').value = '';
  ($('#login-id').value ? $('#password') : $('#login-id')).focus();
}

/** The first sign-in (or one after a reset): a new password before anything else. */
function showPasswordChange(current) {
  removePasswordChange();
  pendingCurrent = current;
  $('#login').hidden = true;
  $('#dashboard').hidden = true;
  const section = $('#password-change-template').content.firstElementChild.cloneNode(true);
  $('#login').after(section);
  // after a reload the typed password is gone: ask for it again
  $('#current-password-field').hidden = current !== null;
  $('#password-change-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void submitPasswordChange();
  });
  (current === null ? $('#current-password') : $('#new-password')).focus();
}

async function submitPasswordChange() {
  const message = $('#password-change-message');
  const next = $('#new-password').value;
  const current = pendingCurrent ?? $('#current-password').value;
  if (next !== $('#new-password-again').value) {
    message.textContent = '確認のために入力したパスワードが一致しません。';
    $('#new-password-again').focus();
    return;
  }
  message.textContent = '';
  $('#password-change-button').disabled = true;
  try {
    await changePassword(current, next);
    removePasswordChange();
    announce('パスワードを変更しました');
    await start();
  } catch (error) {
    if (isUnauthorized(error)) return;
    message.textContent = error.message;
    $('#new-password').focus();
  } finally {
    const button = $('#password-change-button');
    if (button) button.disabled = false;
  }
}

onUnauthorized(() => {
  showLogin('ログインの有効期限が切れました。もう一度ログインしてください。');
});

async function start() {
  const mine = ++sessionGeneration;
  hideError();
  $('#login-button').disabled = true;
  try {
    const me = await getJson('/api/v1/me');
    const [programs, organization, progress] = await Promise.all([getJson('/api/v1/programs'), getJson('/api/v1/organization'), getJson('/api/v1/progress')]);
    if (mine !== sessionGeneration) return;
    context.me = me;
    context.programs = programs.programs;
    context.programByKey = new Map(programs.programs.map((program) => [program.key, program]));
    context.programOrder = programs.programs.map((program) => program.key);
    context.organization = organization;
    // "today" is the server's, so the page and the API agree on the date (and on the tests' clock)
    context.today = progress.asOf;
    // the targets as of today: the items list flags items past a covering target's deadline
    context.targets = progress.targets;

    $('#login').hidden = true;
    $('#dashboard').hidden = false;
    $('#session').hidden = false;
    $('#session-user').textContent = `${me.name}（${me.roleLabel}${me.department ? `・${me.department.name}` : ''}）`;
    const asOfInput = $('#as-of');
    asOfInput.value = context.today;
    asOfInput.max = context.today;

    departments ??= new DepartmentsTable(context);
    items ??= new ItemsPanel(context, () => loadAsOf(context.asOf));
    takeUp ??= new TakeUpPanel(context);
    reform ??= new ReformPanel(context, () => loadAsOf(context.asOf));
    importPanel ??= new ImportPanel(context, () => Promise.all([items.load(), loadAsOf(context.asOf)]));
    departments.configure();
    configureOverdue(context);
    configureSheetDownloads(context);
    importPanel.configure();
    office ??= new OfficePanel(context, (changed = {}) => afterOfficeChange(changed));
    office.configure();
    if (document.body.dataset.view === 'office') void office.load();
    items.configure();
    usersAdmin ??= new UsersAdminPanel(context);
    // 照会: a division's open requests come first on its page; the office's 回答状況 likewise
    surveys ??= new SurveysPanel(context, () => Promise.all([loadAsOf(context.asOf), items.search()]));
    // 課の連絡先: below the users for an admin, below the requests for an editor (after their sections)
    contacts ??= new ContactsPanel(context);
    await Promise.all([loadAsOf(context.today, progress), items.search(), usersAdmin.show(), surveys.show(), contacts.show()]);
    if (mine !== sessionGeneration) return;
    announce(`${me.name}さんとしてログインしました`);
    $('#main').focus({ preventScroll: true });
  } catch (error) {
    if (isUnauthorized(error) || mine !== sessionGeneration) return;
    if (!context.me) {
      // signed in, but the dashboard could not be read: back to the form with the reason
      showLogin(`ダッシュボードを開けませんでした: ${error.message}`);
    } else {
      showError(`ダッシュボードを開けませんでした: ${error.message}`);
    }
  } finally {
    $('#login-button').disabled = false;
  }
}

/** Progress, charts, the departments table, the overdue list and the download links for a date. */
async function loadAsOf(asOf, known) {
  const mine = ++loadGeneration;
  context.asOf = asOf;
  $('#as-of-label').textContent = `${wareki(asOf)} 時点の進捗を表示しています`;
  renderDownloads(context);
  const progressTask = (known ? Promise.resolve(known) : getJson(`/api/v1/progress?asOf=${encodeURIComponent(asOf)}`))
    .then((progress) => {
      if (mine !== loadGeneration) return [];
      renderTargets($('#targets'), progress.targets, context);
      departments.setRows(progress.departments, progress.divisions);
      return progress.targets.map((target) => {
        // from the plan's first month when it starts before the series' default two years
        const from = seriesFrom(target, asOf);
        return getJson(`/api/v1/progress/series?target=${encodeURIComponent(target.id)}&to=${encodeURIComponent(asOf)}${from ? `&from=${from}` : ''}`)
          .then((series) => {
            if (mine === loadGeneration) renderChart(series, target);
          })
          .catch((error) => {
            if (mine === loadGeneration && !isUnauthorized(error)) renderChartError(target.id, error.message);
          });
      });
    })
    .then((charts) => Promise.all(charts))
    .catch((error) => {
      if (mine === loadGeneration && !isUnauthorized(error)) showError(`進捗を読み込めませんでした: ${error.message}`);
    });
  const overdueTask = loadOverdue(asOf, mine);
  // the take-up period follows the as-of date: the twelve months up to its month
  const takeUpTask = takeUp.loadForAsOf(asOf);
  const reformTask = reform.load(asOf).catch((error) => {
    if (mine === loadGeneration && !isUnauthorized(error)) renderReformError(error.message);
  });
  await Promise.all([progressTask, overdueTask, takeUpTask, reformTask]);
  if (mine === loadGeneration) document.body.dataset.loadedAsOf = asOf;
}

function loadOverdue(asOf, mine = loadGeneration) {
  return getJson(overduePath(asOf))
    .then((report) => {
      if (mine === loadGeneration) renderOverdue(report, context);
    })
    .catch((error) => {
      if (mine === loadGeneration && !isUnauthorized(error)) renderOverdueError(error.message);
    });
}

/** A target, plan or the organization changed: read what depends on it again. */
async function afterOfficeChange({ organization = false } = {}) {
  if (organization) {
    context.organization = await getJson('/api/v1/organization');
    departments.configure();
    configureOverdue(context);
    configureSheetDownloads(context);
    items.configure();
  }
  const progress = await getJson(`/api/v1/progress?asOf=${encodeURIComponent(context.today)}`);
  context.targets = progress.targets;
  await loadAsOf(context.asOf, context.asOf === context.today ? progress : undefined);
}

onViewShown((view) => {
  if (view === 'office' && context.me) void office?.load();
  if (view === 'users' && context.me) void contacts?.reload();
});

$('#overdue-department').addEventListener('change', () => {
  if (context.asOf) void loadOverdue(context.asOf);
});

wireViews();
wireSheetDownloads();

$('#login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const login = $('#login-id').value.trim();
  const password = $('#password').value;
  if (!login || !password) {
    $('#login-message').textContent = !login ? 'ログインIDを入力してください。' : 'パスワードを入力してください。';
    (!login ? $('#login-id') : $('#password')).focus();
    return;
  }
  $('#login-message').textContent = '';
  $('#login-button').disabled = true;
  hideError();
  signIn(login, password)
    .then((answer) => {
      $('#password').value = '';
      if (answer.mustChangePassword) showPasswordChange(password);
      else return start();
    })
    .catch((error) => {
      // 401: wrong ID or password; 429: locked for a while (the message says how long)
      $('#login-message').textContent = error.message;
      $('#password').value = '';
      $('#password').focus();
    })
    .finally(() => {
      $('#login-button').disabled = false;
    });
});

$('#logout').addEventListener('click', () => {
  void signOut().finally(() => {
    showLogin('');
    announce('ログアウトしました');
  });
});

$('#as-of').addEventListener('change', (event) => {
  const value = event.currentTarget.value;
  // an incomplete or cleared date: keep showing the last one
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value === context.asOf) return;
  void loadAsOf(value);
});

$('#as-of-today').addEventListener('click', () => {
  $('#as-of').value = context.today;
  if (context.asOf !== context.today) void loadAsOf(context.today);
});

$('#error-close').addEventListener('click', hideError);

// A reload keeps the session (the cookie): carry on where the user was, or ask to sign in.
sessionState()
  .then((state) => {
    if (!state.signedIn) showLogin('');
    else if (state.mustChangePassword) showPasswordChange(null);
    else void start();
  })
  .catch((error) => showLogin(error.message));
