// Inscription en ligne — progressive enhancement entry point.
// Loaded as <script type="module" src="/static/app.js"></script>; our CSP
// forbids inline scripts, so the usual govuk-frontend inline snippet lives here.
// Browsers that run ES modules are the ones govuk-frontend v5 supports.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
