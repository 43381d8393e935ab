"""Every word a person reads, in English and Chinese.

The core returns Decimals and codes; the CLI and the renderers turn them into
words here, so both languages live in one place and a test can hold them side by side.
"""

TEXT: dict[str, tuple[str, str]] = {
    # column headers
    "id": ("ID", "编号"),
    "label": ("Indicator", "指标"),
    "shown": ("Value", "数值"),
    "shown_kind": ("Kind", "类型"),
    "period": ("Period", "时期"),
    "topic": ("Topic", "主题"),
    "title": ("Title", "标题"),
    "facts": ("Facts", "条数"),
    "source": ("Source article", "来源文章"),
    "date": ("Date", "日期"),
    "time": ("Time", "时间"),
    "end": ("Until", "截至"),
    "event": ("Event", "事项"),
    "place": ("Place", "地点"),
    "item": ("Item", "项目"),
    "rate": ("Rate", "费率"),
    "yuan": ("Yuan", "金额(元)"),
    "window": ("In force", "执行期间"),
    "reference": ("Reference", "依据"),
    "industry_class": ("Class", "行业类别"),
    "work_injury_current_rate": ("Current %", "现行费率%"),
    "work_injury_reduced_rate": ("Reduced %", "下调后%"),
    "year": ("Year", "年份"),
    "monthly_standard": ("Yuan/month", "元/月"),
    "basis": ("Basis", "依据"),
    # rates
    "name": ("Parameter", "参数"),
    "start": ("From", "起始"),
    "value": ("Value", "数值"),
    "rate_source": ("Source", "来源"),
    "status": ("Status", "状态"),
    "status.dated": ("in force over its window", "在所列期间执行"),
    "status.stated": ("stated for {year}; no end printed", "公布的{year}年标准,未载明截止"),
    "status.announced": ("announced, not in force", "已宣布将建立,尚未执行"),
    "status.none": ("nothing in force on {day}", "{day}无有效数值"),
    "source.page": ("page", "本版报道"),
    "source.national": ("national notice", "全国性文件"),
    "source.user": ("user-supplied: {file}", "用户提供:{file}"),
    "title.one_topic": ("{topic} (ids without “{topic}.”)", "{topic}(编号省略“{topic}.”)"),
    "quote": ("Quote", "引文"),
    "stated_by": ("Stated by", "发布者"),
    "page": ("Page", "版面"),
    "base": ("Normalised", "换算值"),
    # periods given as words in the fact files
    "period.annual": ("annual", "每年"),
    "period.planned": ("planned", "计划"),
    "period.current plan": ("current plan", "现行规划"),
    "period.no year printed": ("no year printed", "未载明年份"),
    # the page view
    "page.missing": ("Facts whose quote is not on the page", "引文不在页面上的事实"),
    "page.not_on_page": ("(its quote is not on the page)", "(引文不在页面上)"),
    # validate
    "problems": ("{problems} problem(s) in {files} file(s)", "{files}个文件中有{problems}处问题"),
    "no_problems": ("{files} file(s) checked: no problems", "已检查{files}个文件:没有问题"),
    # premium items
    "contribution_base": ("Contribution base", "缴费基数"),
    "unemployment_employer": ("Unemployment, employer", "失业保险(单位)"),
    "unemployment_individual": ("Unemployment, individual", "失业保险(个人)"),
    "work_injury_employer": ("Work injury, employer", "工伤保险(单位)"),
    "work_injury_saving": ("Saved by the cut", "下调节省"),
    "employer_total": ("Employer total", "单位合计"),
    "individual_total": ("Individual total", "个人合计"),
    "total": ("Total", "合计"),
    # premium wording
    "rounding": (
        "{day}: each item is rounded half-up to the fen (0.01 yuan); "
        "totals are sums of rounded items",
        "{day}:各项按四舍五入计至分(0.01元);合计为各项取整后之和",
    ),
    "source.benchmark": (
        "benchmark rate of industry class {industry_class} ({document})",
        "{industry_class}类行业基准费率({document})",
    ),
    "source.own": (
        "the employer's own current rate (--injury-rate)",
        "用人单位现行费率(--injury-rate)",
    ),
    "reference.user": (
        "{reference} [user-supplied: {file}]",
        "{reference}[用户提供:{file}]",
    ),
    "note.user_rate": (
        "user-supplied {name} {window}: {reference}",
        "用户提供的{name} {window}:{reference}",
    ),
    "note.cited": (
        "in force {window}: {reference} — {quote}",
        "执行期间{window}:{reference} — {quote}",
    ),
    "note.unemployment_every_class": (
        "unemployment, in every class: {employer} employer, {individual} individual",
        "各类别失业保险相同:单位{employer},个人{individual}",
    ),
    # parameter units, as people write them after a figure
    "unit.percent": ("%", "%"),
    "unit.yuan/month": ("yuan/month", "元/月"),
    "unit.yuan/person/month": ("yuan/person/month", "元/人/月"),
    "unit.yuan/person/school-year": ("yuan/person/school year", "元/人/学年"),
    "note.base_floor": (
        "the salary {salary} is below the contribution-base floor: {base} ({source})",
        "工资{salary}低于缴费基数下限,按{base}计({source})",
    ),
    "note.base_ceiling": (
        "the salary {salary} is above the contribution-base ceiling: {base} ({source})",
        "工资{salary}高于缴费基数上限,按{base}计({source})",
    ),
    "source.option": ("--base-min/--base-max", "--base-min/--base-max"),
    "note.cited_outside": ("in force {window}: {reference}", "执行期间{window}:{reference}"),
    "note.current_rate": ("{cited}; current rate: {source}", "{cited};现行费率:{source}"),
    "note.by_class": (
        "no --industry-class or --injury-rate: showing the benchmark rate of every class",
        "未给出 --industry-class 或 --injury-rate:列出每一行业类别的基准费率",
    ),
    "note.no_injury": (
        "work-injury columns, employer_total and total left empty: "
        "give --industry-class or --injury-rate",
        "工伤保险各列、单位合计和合计留空:请给出 --industry-class 或 --injury-rate",
    ),
    "note.renamed": (
        "the input already has {names}: the computed columns are named {renamed}",
        "输入已有列 {names}:计算结果列名为 {renamed}",
    ),
    "note.rates": (
        "rates of {day}: unemployment {employer}% employer + {individual}% individual ({window})",
        "{day}的费率:失业保险单位{employer}% + 个人{individual}%({window})",
    ),
    "note.injury_rates": (
        "work injury {reduced}% = {current}% ({source}) cut {cut}% ({window})",
        "工伤保险{reduced}% = {current}%({source})下调{cut}%({window})",
    ),
    "note.skipped": ("skipped {where}: {why}", "已跳过 {where}:{why}"),
    "note.reading": (
        "{name}: {kind}; salary column: {column}",
        "{name}:{kind};工资列:{column}",
    ),
    "sheet.premiums": ("premiums", "保险费"),
    "sheet.rates": ("rates", "费率"),
    "note.written": ("wrote {path}: {rows} rows", "已写入 {path}:{rows} 行"),
    "note.title_row": ("title row {where} skipped: {text}", "已跳过标题行 {where}:{text}"),
    "note.total_row": ("total row {where} skipped: {text}", "已跳过合计行 {where}:{text}"),
    "note.payroll": (
        "rows: {rows}, skipped: {skipped}; totals: {sums}",
        "行数:{rows},跳过:{skipped};合计:{sums}",
    ),
    # lookup notes
    "note.no_kind": ("no fact of kind {kinds} in {topics}", "{topics}中没有类型为{kinds}的条目"),
    "note.no_hits": ("no fact holds every word of '{words}'", "没有同时含有“{words}”的条目"),
    "any_topic": ("any topic", "任何主题"),
    # allowance and childcare
    "card.source": ("source: {reference}", "依据:{reference}"),
    "title.allowance": ("Basic living allowance", "基本生活保障金"),
    "title.childcare": ("Childcare operating subsidy", "托育机构运营补贴"),
    "field.care": ("Care", "养育方式"),
    "field.category": ("Child", "儿童类别"),
    "field.year": ("Year of the standard", "标准年度"),
    "field.basis": ("Standard", "标准"),
    "field.monthly_standard": ("Monthly standard", "月标准(元)"),
    "field.how": ("Worked out as", "推算方法"),
    "field.months": ("Months", "月数"),
    "field.period_total": ("Total for the months", "期间合计(元)"),
    "field.school_grant": ("School grant", "助学金(元)"),
    "field.total": ("Total", "合计(元)"),
    "field.children": ("Children enrolled", "在托人数"),
    "field.per_child_per_month": ("Per child and month", "每人每月(元)"),
    "field.monthly_total": ("Per month", "每月合计(元)"),
    "care.institutional": ("institutional care", "机构养育"),
    "care.scattered": ("scattered (family) care", "散居养育"),
    "category.orphan": ("orphan", "孤儿"),
    "category.unsupported": ("de facto unsupported child", "事实无人抚养儿童"),
    "category.hiv": ("HIV-infected child", "感染艾滋病病毒儿童"),
    "projection": (
        "projection under an assumed growth rate, not a published standard",
        "按假定增幅推算,并非公布的标准",
    ),
    "basis.stated": ("stated", "公布"),
    "basis.derived": ("derived", "由增幅推算"),
    "basis.projected": ("projected", "预测"),
    "same_standard": (
        "HIV-infected children and de facto unsupported children are covered at the orphan "
        "standard ({reference})",
        "感染艾滋病病毒儿童和事实无人抚养儿童按孤儿标准保障({reference})",
    ),
    "grant.granted": (
        "school grant for {years} school year(s), as the page grants eligible de facto "
        "unsupported children ({reference})",
        "按报道给予符合条件的事实无人抚养儿童的助学金,计{years}个学年({reference})",
    ),
    "rule.derived": (
        "the year before the stated standard is worked out from its stated increase, which "
        "the page rounds: an approximation, not a published figure",
        "上一年标准由报道的增幅推算,增幅为约数:系近似值,并非公布的数字",
    ),
    "grant.not-stated-for-category": (
        "the page states the school grant only for eligible de facto unsupported children "
        "({reference}); none added for category {category}",
        "报道仅对符合条件的事实无人抚养儿童给出助学金({reference}),类别 {category} 未计入",
    ),
    "childcare.announced": (
        "an announced rate: the page announces this subsidy as a system to be set up "
        "(将建立), not one in force ({reference})",
        "公布的拟定标准:报道称将建立该补贴制度,并非已执行的标准({reference})",
    ),
    "childcare.rule": (
        "{amount} yuan a month for each child actually enrolled in an inclusive childcare "
        "institution ({reference})",
        "普惠性托育机构按实际在托人数每人每月{amount}元({reference})",
    ),
}


def period_words(period: str, lang: str) -> str:
    """A fact's period: a date or window as it is, a phrase of the fact files in ``lang``."""
    key = f"period.{period}"
    return say(key, lang) if key in TEXT else period


def say(key: str, lang: str, **values: object) -> str:
    """The text of ``key`` in ``lang`` (zh or en), with ``values`` filled in."""
    en, zh = TEXT[key]
    return (zh if lang == "zh" else en).format(**values)
