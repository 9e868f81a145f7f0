"""The weekly digest: select a window's news from the store, group it, render it
(HTML + plain text), archive it and send it once.

    window          which days a digest covers (ISO weeks in digest.timezone)
    select          which records are news in a window (off-topic ones are not)
    arrival         late arrivals, records caught up from before the week, older records
    placing         each record's main indication (one entry per record), route, design
    citation        authors, ISO journal abbreviation, year;volume(issue):pages, ids
    registry_words  ClinicalTrials.gov codes in words ("Active, not recruiting", "Phase 2/3")
    trial_news      what changed in a trial this week, in sentences
    items           one record as the digest shows it
    model           grouping condition -> design, the week's numbers
    chart           this week's records by main indication and design (table-cell bars)
    palette         design colours and short names, shared with the evidence map
    claims          the claims watch section (numbered references to the items)
    view            the DigestView the templates render
    fit             the email under Gmail's clipping limit, and what was left out
    render          Jinja2 templates, CSS inlining
    runs            the digest_run table (once per week)
    send            SMTP
    service         render_week / run_weekly_digest / digest_due: the public API

The evidence map (litwatch.evidence_map) gives the digest its grid of this
week's changes to the map.
"""
