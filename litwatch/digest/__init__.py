"""The weekly digest: select a window's news from the store, group it, render it
(HTML + plain text), archive it and send it once.

    window   which days a digest covers (ISO weeks in digest.timezone)
    select   which records are news in a window
    model    grouping condition -> route -> design -> section, item views
    chart    new evidence by indication and design (table-cell bars)
    view     the DigestView the templates render
    render   Jinja2 templates, CSS inlining, the size cap
    runs     the digest_run table (once per week)
    service  render_week / run_weekly_digest / digest_due: the public API
"""
