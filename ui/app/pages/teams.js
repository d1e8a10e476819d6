// Teams of the current org; one team's members and external groups (team sync).
import { useState } from 'preact/hooks'
import { html } from '../html.js'
import { del, get, post, put } from '../api.js'
import { navigate } from '../router.js'
import { ConfirmButton, ErrorMessage, Field, Loading, PageHeader, Status, useLoad, useSubmit } from '../components.js'

function CreateTeam () {
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const { busy, error, submit } = useSubmit(async () => {
    const res = await post('api/teams', { name, email })
    navigate(`/org/teams/edit/${res.teamId}`)
  })
  return html`<form class="panel form-row" onSubmit=${submit} aria-labelledby="new-team-title">
    <h2 id="new-team-title">New team</h2>
    <${Field} id="team-name" label="Name"><input id="team-name" required value=${name} onInput=${e => setName(e.currentTarget.value)} /></${Field}>
    <${Field} id="team-email" label="Email (optional)"><input id="team-email" type="email" value=${email}
      onInput=${e => setEmail(e.currentTarget.value)} /></${Field}>
    <${ErrorMessage} error=${error} />
    <div class="actions"><button type="submit" class="btn btn-primary" disabled=${busy}>Create</button></div>
  </form>`
}

export function Teams () {
  const teams = useLoad(() => get('api/teams/search?perpage=500&page=1'))
  return html`<${PageHeader} title="Teams" />
    <${CreateTeam} />
    <${Loading} state=${teams}>${res => res.teams.length === 0
      ? html`<p>No teams yet.</p>`
      : html`<div class="table-wrap"><table>
          <caption class="sr-only">Teams</caption>
          <thead><tr>
            <th scope="col">Name</th><th scope="col">Email</th><th scope="col">Members</th><th scope="col"><span class="sr-only">Actions</span></th>
          </tr></thead>
          <tbody>${res.teams.map(t => html`<tr key=${t.id}>
            <td><a href=${`org/teams/edit/${t.id}`}>${t.name}</a></td>
            <td>${t.email}</td>
            <td>${t.memberCount}</td>
            <td class="row-actions"><${ConfirmButton} label="Delete" ariaLabel=${`Delete team ${t.name}`} title="Delete team"
              message=${`Delete the team "${t.name}"?`}
              onConfirm=${async () => { await del(`api/teams/${t.id}`); teams.reload() }} /></td>
          </tr>`)}</tbody>
        </table></div>`}
    </${Loading}>`
}

function TeamSettings ({ team, onSaved }) {
  const [name, setName] = useState(team.name)
  const [email, setEmail] = useState(team.email)
  const [done, setDone] = useState('')
  const { busy, error, submit } = useSubmit(async () => {
    setDone('')
    setDone((await put(`api/teams/${team.id}`, { name, email })).message)
    await onSaved()
  })
  return html`<form class="panel form-row" onSubmit=${submit} aria-labelledby="team-settings">
    <h2 id="team-settings">Settings</h2>
    <${Field} id="team-edit-name" label="Name"><input id="team-edit-name" required value=${name} onInput=${e => setName(e.currentTarget.value)} /></${Field}>
    <${Field} id="team-edit-email" label="Email"><input id="team-edit-email" type="email" value=${email}
      onInput=${e => setEmail(e.currentTarget.value)} /></${Field}>
    <${ErrorMessage} error=${error} />
    ${done ? html`<${Status}>${done}</${Status}>` : null}
    <div class="actions"><button type="submit" class="btn" disabled=${busy}>Save</button></div>
  </form>`
}

function Members ({ team, onChanged }) {
  const members = useLoad(() => get(`api/teams/${team.id}/members`))
  const users = useLoad(() => get('api/org/users'))
  const [userId, setUserId] = useState('')
  const { busy, error, submit } = useSubmit(async () => {
    if (userId === '') throw new Error('Choose a user to add')
    await post(`api/teams/${team.id}/members`, { userId: Number(userId) })
    setUserId('')
    members.reload()
    onChanged()
  })
  const inTeam = new Set((members.data ?? []).map(m => m.userId))
  const candidates = (users.data ?? []).filter(u => !inTeam.has(u.userId))
  return html`<section aria-labelledby="team-members">
    <h2 id="team-members">Members</h2>
    <form class="panel form-row" onSubmit=${submit}>
      <${Field} id="member-add" label="Add member">
        <select id="member-add" value=${userId} onChange=${e => setUserId(e.currentTarget.value)}>
          <option value="">Choose a user…</option>
          ${candidates.map(u => html`<option value=${String(u.userId)}>${u.login}${u.email ? ` (${u.email})` : ''}</option>`)}
        </select>
      </${Field}>
      <${ErrorMessage} error=${error ?? users.error} />
      <div class="actions"><button type="submit" class="btn btn-primary" disabled=${busy}>Add</button></div>
    </form>
    <${Loading} state=${members}>${list => list.length === 0
      ? html`<p>No members.</p>`
      : html`<div class="table-wrap"><table>
          <caption class="sr-only">Members of ${team.name}</caption>
          <thead><tr>
            <th scope="col">Login</th><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Source</th>
            <th scope="col"><span class="sr-only">Actions</span></th>
          </tr></thead>
          <tbody>${list.map(m => html`<tr key=${m.userId}>
            <td>${m.login}</td><td>${m.email}</td><td>${m.name}</td>
            <td>${m.labels.includes('External') ? html`<span class="badge">External (synced)</span>` : 'Added here'}</td>
            <td class="row-actions"><${ConfirmButton} label="Remove" ariaLabel=${`Remove ${m.login} from the team`} title="Remove member" confirmLabel="Remove"
              message=${`Remove ${m.login} from ${team.name}?`}
              onConfirm=${async () => { await del(`api/teams/${team.id}/members/${m.userId}`); members.reload(); onChanged() }} /></td>
          </tr>`)}</tbody>
        </table></div>`}
    </${Loading}>
  </section>`
}

function Groups ({ team }) {
  const groups = useLoad(() => get(`api/teams/${team.id}/groups`))
  const [groupId, setGroupId] = useState('')
  const { busy, error, submit } = useSubmit(async () => {
    await post(`api/teams/${team.id}/groups`, { groupId })
    setGroupId('')
    groups.reload()
  })
  return html`<section aria-labelledby="team-groups">
    <h2 id="team-groups">External groups (team sync)</h2>
    <p class="muted">Users whose auth-proxy <code>Groups
      </code> header names one of these groups are put in the team, and taken out when the header no longer names it. Members added here are never touched.
    </p>
    <form class="panel form-row" onSubmit=${submit}>
      <${Field} id="group-add" label="Group"><input id="group-add" required value=${groupId} placeholder="cn=ops,ou=groups,dc=example,dc=com"
        onInput=${e => setGroupId(e.currentTarget.value)} /></${Field}>
      <${ErrorMessage} error=${error} />
      <div class="actions"><button type="submit" class="btn btn-primary" disabled=${busy}>Add group</button></div>
    </form>
    <${Loading} state=${groups}>${list => list.length === 0
      ? html`<p>No external groups.</p>`
      : html`<ul class="plain-list">${list.map(g => html`<li key=${g.groupId}><code>${g.groupId}</code>
          <${ConfirmButton} label="Remove" ariaLabel=${`Remove group ${g.groupId}`} title="Remove group" confirmLabel="Remove"
            message=${`Stop syncing ${g.groupId} into ${team.name}?`}
            onConfirm=${async () => { await del(`api/teams/${team.id}/groups?groupId=${encodeURIComponent(g.groupId)}`); groups.reload() }} /></li>`)}</ul>`}
    </${Loading}>
  </section>`
}

export function Team ({ params }) {
  const team = useLoad(() => get(`api/teams/${params[0]}`))
  return html`<${Loading} state=${team}>${t => html`
    <${PageHeader} title=${`Team: ${t.name}`} />
    <p><a href="org/teams">← All teams</a></p>
    <${TeamSettings} key=${t.name} team=${t} onSaved=${team.reload} />
    <${Members} team=${t} onChanged=${team.reload} />
    <${Groups} team=${t} />`}
  </${Loading}>`
}
