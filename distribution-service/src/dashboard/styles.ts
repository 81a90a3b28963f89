/** The dashboard's only stylesheet, served from /dashboard/static/dashboard.css (CSP: style-src 'self'). */
export const DASHBOARD_CSS = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
a{color:#0b5cad}
a:focus,button:focus,input:focus,select:focus{outline:3px solid #f2b01e;outline-offset:1px}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:10}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:16px;padding:10px 20px;background:#16324f;color:#fff}
header.top a{color:#fff}
header.top .brand{font-weight:700;text-decoration:none;margin-right:12px}
header.top nav ul{display:flex;flex-wrap:wrap;gap:6px 14px;list-style:none;margin:0;padding:0}
header.top nav a[aria-current=page]{text-decoration:underline;text-underline-offset:4px;font-weight:600}
header.top .who{margin-left:auto;display:flex;flex-wrap:wrap;gap:10px;align-items:center}
header.top .who button{background:transparent;color:#fff;border:1px solid #fff;border-radius:4px;padding:3px 10px;cursor:pointer}
nav.sub{padding:8px 20px;background:#e4e9f0;border-bottom:1px solid #c9d2de}
nav.sub ul{display:flex;flex-wrap:wrap;gap:6px 16px;list-style:none;margin:0;padding:0}
nav.sub a[aria-current=page]{font-weight:700;color:#1a1a1a;text-decoration:none}
main{padding:18px 20px 40px;max-width:1200px;min-width:0}
.table-scroll{max-width:100%;overflow-x:auto;margin:.5em 0 1em}
.table-scroll>table{margin:0}
#report-table td:not(.num){white-space:nowrap}
#report-table th{max-width:6.5em;overflow-wrap:break-word}
@media (max-width:600px){main{padding:12px 10px 30px}header.top{padding:8px 10px;gap:8px}nav.sub{padding:6px 10px}form.stack{max-width:100%}input,select{max-width:100%}form .field{max-width:100%;min-width:0}form .field>input{width:100%}}
h1{font-size:1.5rem;margin:.2em 0 .6em}
h2{font-size:1.15rem;margin:1.4em 0 .5em}
table{border-collapse:collapse;background:#fff;margin:.5em 0 1em;min-width:40%}
th,td{border:1px solid #c9d2de;padding:5px 9px;text-align:left;vertical-align:top}
th{background:#eef2f6}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.no-tag::before{content:"(no tag)";color:#6b6b6b;font-style:italic}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.85em;font-weight:600}
.status-online{background:#d7f2df;color:#0c5a27}
.status-late{background:#fff0c2;color:#6b4a00}
.status-offline{background:#f3d6d6;color:#7a1111}
.current{color:#0c5a27}.outdated{color:#7a1111}
.update-up-to-date{background:#d7f2df;color:#0c5a27}
.update-offered{background:#dbe9f8;color:#0b3d73}
.update-failed{background:#f3d6d6;color:#7a1111}
.update-cannot-update{background:#ececec;color:#3d3d3d}
form.inline{display:inline}
form.stack{display:grid;gap:8px;max-width:520px;background:#fff;padding:12px 14px;border:1px solid #c9d2de;border-radius:6px}
form.row{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end;background:#fff;padding:10px 12px;border:1px solid #c9d2de;border-radius:6px}
form .field{display:flex;flex-direction:column;gap:3px}
form .field>label{font-weight:600;font-size:.9em}
form fieldset{border:1px solid #c9d2de;border-radius:4px;padding:4px 8px}
form fieldset label,form label.check{display:inline-flex;align-items:center;gap:4px;font-size:.9em}
input,select{font:inherit;padding:4px 6px;border:1px solid #8a96a3;border-radius:4px;background:#fff}
input[aria-invalid=true]{border-color:#b00020}
button{font:inherit;padding:5px 12px;border-radius:4px;border:1px solid #16324f;background:#16324f;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#16324f}
button.danger{background:#fff;color:#b00020;border-color:#b00020}
.notice{background:#e2f3e6;border:1px solid #8bc79a;padding:8px 12px;border-radius:4px}
.error{background:#fbe4e6;border:1px solid #d98b93;padding:8px 12px;border-radius:4px}
.hint{color:#555;font-size:.9em;font-weight:400}
.muted{color:#666}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:.5em 0 1em}
.card{background:#fff;border:1px solid #c9d2de;border-radius:6px;padding:8px 14px;min-width:120px}
.card .n{font-size:1.4rem;font-weight:700;display:block}
figure.chart{background:#fff;border:1px solid #c9d2de;border-radius:6px;padding:10px;margin:0 0 1em;max-width:800px}
figure.chart svg{max-width:100%;height:auto}
figure.chart figcaption{font-weight:600;margin-bottom:4px}
ul.legend{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;padding:0;margin:6px 0 0;font-size:.85em}
code{background:#eef2f6;padding:0 4px;border-radius:3px}
.pager{display:flex;gap:12px;margin:.5em 0}
`;
