"""Cue phrases for finding direction (syntax: sentence_split.PhraseTable), read by findings.

Tags are collected clause by clause; findings._clause_direction turns a clause's tags
into a direction. Negation and hedges are tags of their own ("nd"), so "did not
significantly reduce" never reads as "significantly reduced".
"""

from __future__ import annotations

_HARM_TERMS = ("adverse|side|serious|toxicity|neurotoxic*|dependence|cystitis|uropathy|harm*|"
               "death|deaths|died|mortality|abuse|misuse|psychosis|suicid*|relapse|relapses|"
               "dropout*|discontinu*|risk|risks|nausea|vomiting|dissociat*|hallucinat*|hypertens*|"
               "psychotomimetic|psychomimetic|hepatotoxic*|confusion|sedation|dizziness|headache|"
               "delirium|laryngospasm|mania|manic|hypomani*|hypox*|apn*|desaturation*|"
               "nightmares|emergence|hypersalivation|tachycardia|bradycardia|arrhythmia*|"
               "ed|ea|ponv|pocd|drowsiness|blurred|diplopia|nystagmus|illusion|illusions|"
               "pruritus|shivering|hypotension|agitation|twitching|myoclonus|rigidity|dysuria|"
               "hematuria|haematuria|microhematuria|pyuria|ulceration|incontinence|airway|toxicity|"
               "toxic|hydronephrosis")
_EFFECTS = "antidepressant|antisuicidal|analgesic|anxiolytic|antidepressant-like"
# Injury to tissue found in animal and toxicity studies.
_INJURY = ("apoptosis|apoptotic|neuroapoptosis|neuroapoptotic|neurodegeneration|"
           "neurodegenerative|necrosis|peroxidation")
_USED = "alcohol|opioid|opioids|cocaine|substance|drug|cannabis|nicotine|methamphetamine"
_IMPROVED = "abstinence|abstinent|remission|response|relief|improvement|recovery"

DIRECTION_CUES = {
    "nd": """did|does|do|was|were|is|are|has|have not; failed|fails|fail to; could not;
        no significant|statistically|clinically|meaningful|difference|differences|change;
        no statistical difference|differences|significance;
        no changes|effect|improvement|benefit|advantage|evidence;
        no added|early|additional|clear;
        no apparent benefit|advantage|improvement|difference|differences|effect;
        not significantly|superior|different|statistically|differ|improve|reduce;
        non-significant|nonsignificant|insignificant; refuted|refute|refutes|null|neither;
        trend|trends|trended toward|towards|for; significance ~6 lost; lost significance;
        marginal|marginally;
        no ~1 relief|reduction|response; unchanged; findings|results|outcomes were|was the same;
        numerically; numerical ~2 advantage|difference|trend|benefit; missed its|the primary;
        none ~4 experienced|showed|achieved|had ~2 response|remission|improvement|relief;
        no statistical|significant|statistically association|associations|correlation;""",
    # Findings said to disagree with one another: "conflicting results", "inconsistent".
    "conflicting": """conflicting|inconsistent|mixed|equivocal|contradictory|varying ~1
        results|findings|evidence|effects|outcomes; was|were inconsistent;""",
    "ns": "ns;",                       # "(ns)" after a comparison, like "p = 0.40"
    # "normal saline (NS)", "the NS group": the control arm's abbreviation, no statistic
    "saline_ns": "saline; normal saline;",
    # "None of the patients experienced serious adverse events": the harm denied
    "denied_harm": """no patient|patients|participant|participants|child|children|subject;
        no subjects|one|woman|women|man|men|case|cases;
        none ~2 patients|participants|children|subjects|animals|them|cases|women|men;""",
    # "those who did not": an elliptic clause about a group, not a null (dropped in findings)
    "elliptic": "who|those did|had|were|was|are not;",
    # "a similar pattern", "showed similar results": the finding recurs, it is no null
    "recurs": """a|the similar|comparable finding|findings|pattern|patterns|result|results;
        showed|found|yielded|produced similar|comparable results|findings|patterns|effects;""",
    "but_not": "but not;",
    # "relieved pain without functional improvement": the null opens its own clause
    "without_null": """without ~3
        improvement|improvements|benefit|efficacy|change|relief|difference|differences;""",
    "similar": """similar; similarly to|with|in; comparable; comparably; clinically-comparable;
        equivalent;""",
    # "as effective as ketorolac": an active comparator matched -- a finding for the drug
    # (beside a placebo it is a null: findings._clause_direction)
    "as_effective": """as effective|efficacious|good ~3 as; equally effective|efficacious;
        both effectively|successfully; both ~3 effective|efficacious;""",
    "placebo_arm": "placebo; saline; sham; alone;",
    # "0.25 mg/kg is as effective as 0.5 mg/kg": two doses, no control
    "dose_compare": """
        as effective|efficacious|good ~3 as 0|1|2|3|4|5|6|7|8|9|10|12|15|20|25|50|100;
        as effective|efficacious|good ~3 as the|a lower|higher|low|high|standard ~1 dose|doses;""",
    "similar_safety": "similar|comparable ~2 safety|tolerab*|adverse|side;",
    "noninf_neg": "not|failed ~4 non-inferior*|noninferior*; non-inferior*|noninferior* ~3 not;",
    "noninf": "non-inferior*|noninferior*;",
    "harm": f"""worsen|worsened|worsening|worsens; increased ~1 risk; higher risk;
        deteriorat*; impairment|impairments|impaired|deficit|deficits|dysfunction;
        poor|poorer|unfavorable|unfavourable ~2 safety|tolerability;
        safety|tolerability profile ~3 poor|unfavorable|unfavourable|concerning;
        ae|aes|adverse ~2 signal|signals; inferior to;
        increased|increasing|worsened|worsening ~2 depression|depressive|anxiety|pain|suicidal
        scores|symptoms|ratings|severity;
        decreas*|declin*|poorer|worse ~2 performance|memory|cognition|cognitive|functioning;
        more adverse|serious|side;
        high|higher|increased|greater rate|rates|incidence|frequency|odds|risk|hazard of ~3
        {_HARM_TERMS};
        prone|susceptible|vulnerable to ~3 {_HARM_TERMS}|{_INJURY};
        toxicity; neurotoxic*; dependence; cystitis; uropathy; harm|harms|harmful;
        death|deaths|died; abuse|misuse; psychosis; increased|higher mortality;
        hepatotoxic*; liver ~2 injury|failure|damage|enzyme|enzymes;
        more often|frequently|commonly ~4 experienced|reported|had|developed;
        more ~2 patients|participants|children|subjects|women|men ~1 had|experienced|developed
        ~3 {_HARM_TERMS};
        adverse|side|aes|teaes|dissociat*|psychotomimetic|psychomimetic ~4 more|significantly
        frequent|common|often|frequently;
        discontinued|withdrew|stopped ~4 due|because ~3 adverse|aes|teaes|side|intolerab*;
        experienced|developed ~3 serious|severe ~1 adverse|aes|teaes;
        may|might|can|could increase ~2 incidence|risk|rate|rates|frequency;
        episode|episodes of ~2 {_HARM_TERMS}; switch|switched|switching ~3 mania|manic|hypomani*;
        polarity switch; associated with ~3 episodes|increased|higher|more ~3 {_HARM_TERMS};
        limited by ~3 adverse|side; poisonings|exposures|intoxications|overdoses ~5
        increased|rose|risen|doubled|increase;
        incidence|incidences|rate|rates|frequency|risk|number of ~5 {_HARM_TERMS} ~14
        higher|greater|increased|more|elevated;
        {_HARM_TERMS} ~8 was|were ~2 higher|greater|increased|more;
        awakening|emergence|extubation|eye-opening|opening|orientation|recovery|discharge|exit
        ~3 time|times ~14 longer|prolonged|delayed|increased;
        prolongs|delays ~2 recovery|awakening|emergence|discharge;
        increase|increases|increased ~3 adverse|side|aes|teaes|complications;
        increase|increases|increased|rise ~3 incidence|rate|rates|frequency|odds|risk of ~3
        {_HARM_TERMS};
        time|times to ~2 eye|opening|awakening|extubation|emergence|orientation ~3
        was|were longer|prolonged|delayed;
        prolonged|longer|delayed ~2 awakening|emergence|extubation|eye-opening;
        increase|increased|increases|higher|greater|more ~4 {_INJURY};
        {_INJURY} ~8 increased|higher|greater;""",
    # "alcohol dependence", "substances of abuse": who was treated, not a harm
    # "without (a significant) increase in side effects": no harm
    "no_increase": "without|no|nor ~2 increase|increases|increased|rise;",
    "population": f"""{_USED} ~1 dependence|abuse|misuse|use; substances of abuse;""",
    "harm_reduced": f"""reduc*|lower*|decreas*|prevent*|fewer|less|cut|cuts|halved|delayed ~6
        {_HARM_TERMS}; lower|reduced|decreased ~2 incidence|prevalence;
        fewest|lowest ~3 adverse|side|aes|teaes|complications; least adverse|side;
        {_HARM_TERMS} ~4 less|fewer|lower|reduced|decreased; none|no ~6 died|death|deaths;
        reverse|reverses|reversed|reversing ~3
        deficit|deficits|impairment|impairments|dysfunction;""",
    "adverse": """adverse; side-effect|side-effects; side effect|effects; dissociat*;
        blood pressure; hypertens*; psychotomimetic; agitation; nausea; vomiting;
        hypox*; apnea|apnoea|apneic|apnoeic; laryngospasm; desaturation*; hypersalivation;
        ataxia; nightmares;
        hallucinat*; psychomimetic; teae|teaes|ae|aes; hemodynamic|haemodynamic|cardiovascular;
        vital signs; harms; mania; manic; psychosis; psychotic; cystitis; dysuria; pyuria;
        hematuria|haematuria|microhematuria; ulceration; twitching; myoclonus;
        hydronephrosis; fibrosis; jaundice; cholangiopathy; cholestasis; salivation;
        dilatation|dilation ~5 duct|ducts|cbd|cbds|biliary; duct|ducts ~3 injury|dilatation;""",
    "safety": "safety; tolerab*; tolerated;",
    # Said to be well tolerated or safe, or its adverse events rare: a finding for the
    # treatment when nothing else in the clause decides (findings._clause_direction).
    "tolerated_well": """well-tolerated; well tolerated; safely; safe and; and safe;
        favorable|favourable|good|acceptable|excellent ~2 safety|tolerability|side-effect;
        was|were|is|are|be|remained|proved|relatively|generally|reasonably safe;
        few|rare|minimal|minor|infrequent|uncommon ~1 adverse|side|aes|teaes|complications;
        adverse|side|side-effects|aes|teaes ~5 were|was rare|uncommon|infrequent|minimal|few;""",
    # An adverse effect counts as a harm found only when the clause says it happened.
    "occur": """occurred|occur|occurs|occurring|reported|experienced|developed|observed|noted;
        common|commonest|frequent|frequently|incidence|rate|rates|%|induced|caused|led|only;
        dropped|withdrew|discontinued|documented|requiring|required|associated;
        had; presented|presenting with; showed; suffered;""",
    "more": "more; higher; increased; greater; caused; induced; elevated; raised;",
    "relative": "which induced|caused|produced;",
    # "the potential benefits of adding ketamine": what might be, not what was found
    "hypothetical": "potential|possible|putative|expected|theoretical|hypothesized;",
    # Reassurance that the drug was safe overall, or that the events went away, cancels a
    # harm only named; words that an adverse event was mild ("mild", "transient") do not:
    # it occurred ("Eighty mild TEAEs were reported").
    "reassure": """well-tolerated; well tolerated; safe; no serious; without;
        few|rare|minimal|infrequent|uncommon ~1 adverse|side|aes|teaes|complications;
        adverse|side|aes|teaes ~3 were|was rare|uncommon|infrequent|minimal|few;
        devoid|free|absence of; resolved; abated; subsided; disappeared; dissipated; lasted only;
        no|none ~3 adverse|side|side-effects|aes|teaes|safety|unexpected|relevant|other;""",
    "benefit": f"""superior; outperform*; improved;
        provide|provides|provided|lend|lends support for;
        offer|offers|offered ~3 option|alternative|resource|approach|tool; advantageous;
        gain|gains|improvement|improvements|benefit|benefits ~2 were|was ~1
        maintained|sustained|preserved;
        effectively reduc*|decreas*|lower*|improv*|relieved|prevented|attenuat*;
        points|pointed|point to ~3 efficacy|effectiveness|benefit|benefits;
        favorable|favourable outcome|outcomes;
        were|was|remained|became|still ~2 responder|responders|remitters|remitter;
        response|remission|improvement was|were observed|seen|noted;
        effective drug|agent|therapy|option|alternative|intervention|adjunct|method|means;
        good|preferred ~2 option|alternative|choice;
        had|has|have|showed|shows|achieved|yielded|gave|provided|with better ~2
        outcome|outcomes|results|control|analgesia|relief|sedation|recovery|quality;
        resulted|results in ~1 desirable|effective|good|better|superior|excellent
        ~2 outcome|outcomes|control|analgesia|relief|sedation|recovery|quality;
        appreciable|marked|substantial|considerable|dramatic|pronounced ~2
        effect|effects|improvement|improvements|reduction|reductions|decrease|decreases|relief;
        complete|full|total ~1 cessation|resolution|remission|relief|recovery;
        remission|response|improvement|benefit|benefits|effect|effects has|have|had ~1
        sustained|persisted|lasted|been sustained|been maintained;
        seizure|seizures ~1 termination|cessation|control|resolution|reduction;
        was|were|is|are|be|and effective|efficacious;
        highly|very|both|also|equally|proved|found|remained ~2 effective|efficacious;
        found|shown ~1 to improve|reduce|relieve|decrease|alleviate;
        facilitate|facilitates|promote|promotes|promoted ~2 abstinence|recovery;
        effective analgesia|relief|treatment|in|for|at|and; efficacious in|for;
        demonstrat*|showed|shown|established|revealed|confirmed ~2 efficacy|effectiveness;
        good|high|excellent|robust|strong|large|sustained ~2 efficacy|effectiveness|effect|effects;
        treatment effect|effects; advantage|advantages over; potent ~2 {_EFFECTS}|treatment;
        valuable|useful|viable|therapeutic|suitable|appropriate|safe ~2
        tool|option|alternative|adjunct|adjuvant;
        useful|helpful|beneficial|effective for|in treating|treatment;
        successfully|effectively treated|managed; prolong|prolongs|prolonged|extended ~4
        duration|analgesia|survival|remission;
        remained|maintained|reported|achieved|sustained|continuous ~3 abstinence|abstinent;
        remission|response|improvement remained|persisted;
        remission|response|improvement was|were sustained|maintained|durable|rapid;
        clear|sustained|rapid|robust|durable ~2 response|improvement;
        improvement|improvements|improves; relieved|relieves|relieving; alleviat*; remitted;
        responded; relapse-free; benefit|benefits|beneficial|benefited;
        significant|significantly reduc*|improv*|greater|higher|lower|decreas*|faster|better;
        significantly less|fewer|low|shorter|smaller;
        significant ~1 difference|differences between; significantly different|differed;
        differed|differ significantly;
        higher|greater|larger ~3 {_IMPROVED};
        response|remission rate|rates was|were higher; more frequent with;
        lower|higher|greater|larger|better|more|less|fewer|faster|increased _ ~9
        than|versus|vs|compared;
        rapid ~4 {_EFFECTS} effect|effects; {_EFFECTS} effect|effects of|was|were;
        produce|produced|produces|achieve|achieves|achieved|exert|exerted|exerts ~4 {_EFFECTS};
        demonstrates|demonstrated|showed|shows|confirmed|confirms ~4 {_EFFECTS} effect|effects;
        additive|synergistic ~2 effect|effects|analgesia|benefit;
        effect size|sizes ~2 medium|large|moderate|substantial;
        favoring|favouring|favored|favoured|favours|favors ketamine|esketamine|treatment|the;
        promising; encouraging; enhanced; pain-free; pain free; symptomatic relief;
        high|good|excellent ~2 satisfaction;
        support|supports|supported|confirm|confirms|confirmed the|its effectiveness|efficacy|safety;
        support|supports|supported|confirm|confirms|confirmed the|its tolerability|benefit|benefits;
        increase|increases|increased in ~2 response|remission|responders;
        achieved|attained|reached|attaining|achieving ~3 remission|response;
        remission|response was|were achieved|attained;
        response|remission rate|rates was|were achieved|attained;
        response|remission|reduction|responder|improvement rate|rates was|were higher;
        significant|significantly drop|decline|relief;
        favorable|favourable|adequate|satisfactory|successful|effective ~1
        response|responses|sedation|analgesia|control|outcome|outcomes ~4
        was|were observed|achieved|obtained|attained|seen;
        may|can|could be considered|used ~3 alternative|option|adjunct|treatment|control;
        stopped|terminated|terminating|aborted|resolved|controlled ~2
        seizures|seizure|status|symptoms|convulsions|convulsion;
        resolution of ~2 convulsions|seizures|symptoms;
        associated with ~2 resolution|cessation|termination; achieved ~3 control;
        met ~2 criteria for ~2 response|remission; response|remission rate|rates ~8
        observed|achieved|seen; decrease|decreased|improved|reduced rapidly;
        response|remission|responder|success rate|rates of|was|were ~4 %;
        be|is|are|was|were|proved a|an|highly effective|efficacious|useful|valuable|feasible;
        may|might|could|can ~1
        improve|reduce|relieve|alleviate|suppress|augment|lessen|enhance|decrease|shorten;
        evidence for|of ~2 efficacy|effectiveness|benefit;
        achieve|achieves|achieved|provide|provides|provided|offers|offered ~3
        adequate|good|effective|satisfactory|excellent|predictable ~2
        control|analgesia|sedation|relief|premedication|conditions;
        provide|provides|provided|produce|produces|produced|gave|gives|offer|offers|offered ~2
        better|superior|sufficient|acceptable|smoother ~3
        control|analgesia|sedation|relief|conditions|anesthesia|anaesthesia|induction|recovery;
        more rapid|quicker|faster|smoother ~1 onset|induction|recovery|emergence;
        may|might|can|could be useful|successful|beneficial|valuable;
        led|leads|lead to ~2 prompt|rapid|marked|significant|complete ~1
        improvement|resolution|relief|recovery;
        significant ~1 advantage|advantages|benefit|benefits;
        rapid|prompt|marked ~1 alleviation|improvement|relief|resolution;
        experienced|showed|had|exhibited ~2 {_EFFECTS} response|responses;""",
    "reduction": """reduc*; decreas*; fell; lower; lowered; declined; dropped; less; cut; relief;
        attenuat*;""",
    "outcome": """symptom*; score|scores|rating|ratings; depressi*; pain; ideation; suicid*;
        anxiety; craving; severity; madrs|ham-d|hamd|hdrs|phq-9|bdi|qids; immobility;
        cdrs|cdrs-r|ymrs|y-bocs|ybocs|caps|pcl-5|nrs|vas|gad-7|hads|bprs|panss;
        consumption; use; relapse; attack|attacks; frequency; disability; ptsd; obsessions;
        distress; agitation; delirium; opioid*; outcome|outcomes; requirement|requirements;
        allodynia; hyperalgesia; intake; drinking;""",
    # A new clause starts after these (and after ';', ', and', 'and was': _clause_starts).
    "clause": "but|whereas|while|although|though|however|yet|despite;",
    # What a clause speaks of when it reports no comparison of the treatment's effect:
    # the groups' make-up, the analysis itself, pharmacokinetics, a list of the usual AEs,
    # the research still needed, a change seen alike in every arm.
    "baseline": """^ ~2 baseline|demographic*; baseline characteristics|demographics;
        different|differ|differed|differences|difference|similar|comparable|balanced|observed ~4
        at baseline|randomization|randomisation|enrollment|enrolment;
        similar|comparable|differ|matched ~3 age|sex|gender|makeup|demographic*|baseline;""",
    "not_effect": """heterogeneity; publication bias; absorption; bioavailability; plasma;
        pharmacokinetic*; predictor|predictors; predictive;
        risk|risks of|for bias; correlation|correlations ~6 ranged|were|was;
        similar|comparable to ~5 healthy|hcs|hc|controls|normal|non-depressed;""",
    "unexamined": """seldom|rarely|never|not|poorly|inadequately ~1
        assessed|examined|studied|evaluated|investigated|measured|reported|addressed;
        data|evidence ~4 sparse|lacking|scarce; insufficient; not sufficient|enough to;
        not possible|feasible; unclear; unknown;
        not clear|known|established whether|if|how|what;""",
    # "naltrexone blocked the antidepressant effect of ketamine": a mechanism, not a finding
    # for or against the treatment
    "blunted": f"""attenuat*|blunt*|diminish*|abolish*|block*|revers*|prevent*|inhibit* ~3
        {_EFFECTS} effect|effects|response|action|actions;""",
    "recommend": """we recommend; is|are|be recommended; must be; close monitoring;
        surveillance of; monitoring of;""",
    # "cannot be recommended for routine use": the authors' verdict against it, a null
    "not_recommended": "cannot|not be recommended; not recommend|recommended;",
    "future": """studies|study|trials|research|work|investigation|evaluation|replication
        ~6 is|are needed|warranted|necessary|required;
        needed|necessary|required to confirm|determine|assess|establish;
        future ~3 studies|trials|research; further ~2 studies|study|research|trials|investigation;
        need|needs replication|confirmation;
        may|could|should confirm|clarify|elucidate; ongoing ~2 studies|trials;
        need|needs to be studied|investigated|explored|evaluated|examined|assessed|resolved;
        need|needs to be defined|clarified|determined|established;""",
    "all_arms": "both|all|each ~1 groups|arms|group|arm; over time;",
    # The words that make "p < 0.05" a difference between arms (or an estimate of one).
    "compared": """compared; versus; vs; relative to; between;
        than placebo|control|controls|saline|sham|the|those|that|in|group|groups;
        effect size|sizes; mean difference; relative risk; risk|odds|hazard ratio;
        pooled; smd; standardized|standardised mean;""",
}
