// What the server put in the page: the sub path it is served under and a few settings.
const el = document.getElementById('gatehouse-boot')

/** @type {{ appSubUrl: string, disableLoginForm: boolean, version: string }} */
export const boot = JSON.parse(el?.textContent || '{"appSubUrl":"","disableLoginForm":false,"version":""}')

/** The path every page and API URL starts with ("/" or "/grafana/"). */
export const basePath = `${boot.appSubUrl}/`
