// Starts Swagger UI on /docs from the locally served bundle (no CDN, no inline script). No deep links: they
// put a link inside each operation's button (axe: nested-interactive).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: false });
});
