"""Words a person reads, by key, in English and Chinese: the part not yet in the gettext
catalog (hzcity/i18n.py says both).

An error the user can cause (a bad amount, an unknown topic, a day outside every window,
an unreadable payroll) carries a ``Phrase`` of a key here, said in the user's language
when the CLI prints it; its English text here is the message as it always was. Problems
in fact and parameter files (InvalidData, reported as file:line to their curators) stay
in English. English-only words inside an error are left out of its Chinese text: a
curator's note on a window, and the reasons Python's zip, csv and json readers give.
"""

from __future__ import annotations

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
    "status.announced": ("announced on {date}, not in force", "{date}宣布将建立,尚未执行"),
    "status.none": ("nothing in force on {day}", "{day}无有效数值"),
    "source.page": ("page", "本版报道"),
    "source.national": ("national notice", "全国性文件"),
    "source.user": ("user-supplied: {file}", "用户提供:{file}"),
    "title.one_topic": ("{topic} (ids without “{topic}.”)", "{title}(编号省略“{topic}.”)"),
    "quote": ("Quote", "引文"),
    "note": ("Note", "备注"),
    "stated_by": ("Stated by", "发布者"),
    "page": ("Page", "版面"),
    "base": ("Normalised", "换算值"),
    # periods given as words in the fact files
    "period.annual": ("annual", "每年"),
    "period.planned": ("planned", "计划"),
    "period.current plan": ("current plan", "现行规划"),
    "period.no year printed": ("no year printed", "未载明年份"),
    "period.years_to": ("{years} years to {day}", "截至{day}的{years}年"),
    # a window of days: in force from a day to a day, or from a day on
    "window.span": ("{start}/{end}", "{start}至{end}"),
    "window.open": ("{start}/..", "{start}起"),
    # a fact's kind where its bound says more (">=": 95%以上)
    "bound.lower": ("bound", "下限"),
    "bound.upper": ("bound", "上限"),
    # a rate by industry class: 1: 0.2%, or 一类0.2%
    "class.rate": ("{number}: {rate}%", "{numeral}类{rate}%"),
    "progress": ("hzcity: {rows} rows, {rate}/s", "hzcity: 已处理 {rows} 行,每秒 {rate} 行"),
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
    "work_injury_saving": ("Saved by the cut", "减征额"),
    "employer_total": ("Employer total", "单位合计"),
    "individual_total": ("Individual total", "个人合计"),
    "total": ("Total", "合计"),
    # premium wording
    "rounding": (
        "rates of {day}; each item is rounded half-up to the fen (0.01 yuan); "
        "totals are sums of rounded items",
        "按{day}的费率;各项按四舍五入计至分(0.01元);合计为各项取整后之和",
    ),
    "source.benchmark": (
        "about (左右) the benchmark rate of industry class {industry_class} ({document}); "
        "the employer's actual rate may differ: give it with --injury-rate",
        "{industry_class}类行业基准费率左右({document});用人单位实际费率可能不同,"
        "可用 --injury-rate 给出",
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
    # base units of the fact files (facts/_units.yaml) after a normalised figure
    "unit.yuan": ("yuan", "元"),
    "unit.m2": ("m2", "平方米"),
    "unit.student": ("student", "名学生"),
    "unit.case": ("case", "起"),
    "unit.date": ("date", ""),  # an ISO date says what it is
    "unit.day": ("day", "天"),
    "unit.item": ("item", "个"),
    "unit.level": ("level", "级"),
    "unit.person": ("person", "人"),
    "unit.place/1000 people": ("place/1000 people", "个/千人"),
    "unit.round": ("round", "轮"),
    "unit.school": ("school", "所"),
    "unit.year": ("year", "年"),
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
        "work injury {reduced}% = {current}% × (1 − {cut}%) ({window}); current rate: {source}",
        "工伤保险{reduced}% = {current}% × (1 − {cut}%)({window});现行费率:{source}",
    ),
    "note.rates_and_injury": ("{rates}; {injury}", "{rates};{injury}"),
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
        "行数:{rows},跳过:{skipped};各项合计(元):{sums}",
    ),
    "note.payroll_sum": ("{name}={amount}", "{name} {amount}"),
    "note.payroll_sums": (", ", ","),
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
    "category.hiv": ("HIV-infected child", "艾滋病病毒感染儿童"),
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
        "艾滋病病毒感染儿童和事实无人抚养儿童按孤儿标准保障({reference})",
    ),
    "grant.granted": (
        "school grant for {years} school year(s), as the page prints it for de facto "
        "unsupported children who qualify (符合条件的; the conditions are not printed) "
        "({reference})",
        "助学金计{years}个学年,按报道写明的符合条件的事实无人抚养儿童标准(具体条件报道未载明)"
        "({reference})",
    ),
    "rule.derived": (
        "the year before the stated standard is worked out from its stated increase, which "
        "the page rounds: an approximation, not a published figure",
        "上一年标准由报道的增幅推算,增幅为约数:系近似值,并非公布的数字",
    ),
    "grant.not-stated-for-category": (
        "the page brings de facto unsupported children into the orphans' school-aid "
        "programme (助学工程) on equal terms, so orphans are in it already, but prints the "
        "grant's amount only for de facto unsupported children who qualify (the conditions "
        "are not printed) ({reference}); none added for {category}",
        "报道将事实无人抚养儿童纳入孤儿同等“助学工程”范围,孤儿已在其中,但只写明符合条件的"
        "事实无人抚养儿童的助学金额(具体条件未载明)({reference});{category}未计入助学金",
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
    # errors a user can cause: the English text is the message as it always was
    "at": ("{where}: {why}", "{where}:{why}"),
    "list.separator": (", ", "、"),
    "suggest.close": ("; did you mean {names}?", ";是否要找 {names}?"),
    "suggest.choose": ("; choose from {names}", ";可选:{names}"),
    "suggest.none": ("", ""),
    "what.amount": ("amount", "金额"),
    "what.rate": ("rate", "费率"),
    "what.salary": ("salary", "工资"),
    "amount.negative": (
        "{what} {text!r} is not an amount in yuan: it must be greater than 0",
        "{what} {text!r} 不是以元计的金额:必须大于0",
    ),
    "amount.malformed": (
        "{what} {text!r} is not an amount in yuan (digits, optional thousands commas, "
        "at most 2 decimals, e.g. 6000.50 or 6,000.50)",
        "{what} {text!r} 不是以元计的金额(应为数字,可带千位分隔逗号,最多两位小数,"
        "如 6000.50 或 6,000.50)",
    ),
    "amount.not_positive": (
        "{what} must be greater than 0, got {text!r}",
        "{what} 必须大于0,输入的是 {text!r}",
    ),
    "amount.too_big": (
        "{what} {text!r} is above {limit} yuan; check the figure",
        "{what} {text!r} 超过 {limit} 元,请核对数字",
    ),
    "percent.malformed": (
        "{what} {text!r} is not a percentage (e.g. 0.9 or 0.9%, at most 4 decimals)",
        "{what} {text!r} 不是百分比(如 0.9 或 0.9%,最多四位小数)",
    ),
    "percent.range": (
        "{what} must be above 0 and below 100 percent, got {text!r}",
        "{what} 必须大于0%且小于100%,输入的是 {text!r}",
    ),
    "rate.inexact": (
        "a rate of {rate}% has too many digits to compute to the fen exactly",
        "费率 {rate}% 位数过多,无法精确计算到分",
    ),
    "industry_class.range": (
        "industry class must be {low} to {high}, got {got}",
        "行业类别应为 {low} 至 {high},输入的是 {got}",
    ),
    "injury.both": (
        "give an industry class (--industry-class) or the employer's own rate, not both",
        "行业类别(--industry-class)和用人单位自身费率只能给出其一",
    ),
    "base.crossed": (
        "the contribution-base floor {low} ({low_source}) is above its ceiling {high} "
        "({high_source})",
        "缴费基数下限 {low}({low_source})高于上限 {high}({high_source})",
    ),
    "care.unknown": (
        "unknown care type {care!r}; choose from {names}",
        "没有养育方式 {care!r};可选:{names}",
    ),
    "category.unknown": (
        "unknown category {category!r}; choose from {names}",
        "没有儿童类别 {category!r};可选:{names}",
    ),
    "allowance.no_year": (
        "{missing} The year before a stated standard is derived from its increase; "
        "--growth PCT --until YEAR projects later years.",
        "{missing}公布标准的上一年由其增幅推算;以后年份可用 --growth PCT --until YEAR 预测。",
    ),
    "until.range": (
        "must be a year after {year} and at most 2100, got {got}",
        "应为 {year} 年之后、不晚于2100年的年份,输入的是 {got}",
    ),
    "range": ("must be {low} to {high}, got {got}", "应为 {low} 至 {high},输入的是 {got}"),
    "what.date": ("date", "日期"),
    "date.malformed": (
        "{what} {text!r} is not a date (YYYY-MM-DD)",
        "{text!r} 不是有效的{what}(格式为 YYYY-MM-DD)",
    ),
    "parameter.unknown": ("unknown parameter {name!r}{hint}", "没有参数 {name!r}{hint}"),
    "window.stated": ("{window} (stated for {year})", "{window}(公布的{year}年标准)"),
    "window.announced": ("{window} (announced, not in force)", "{window}(已宣布,尚未执行)"),
    "windows.none": ("none", "无"),
    "when.on": ("on {day}", "{day}"),
    "when.in": ("in {year}", "{year}年"),
    # the day of the rates (issue 15): the latest day with rates, what is missing, templates
    "missing.item": (
        "{name} ({label_en}; windows: {windows})",
        "{name}({label_zh};已载明的执行期间:{windows})",
    ),
    "rates.missing": (
        "nothing in force {when} for {items}.{why} To compute with a notice you cite, write a "
        "file to fill in: {command} (see 'User parameter files' in facts/README.md).",
        "{when}没有有效的数值:{items}。如需按你引用的通知计算,先生成待填写的参数文件:{command}"
        "(见 facts/README.md 中“User parameter files”一节)。",
    ),
    "note.past": (
        "rates of {day}: today ({today}) is past the last day that has them; for a later "
        "notice, write a file to fill in: hzcity rates --template DIR "
        "(see 'User parameter files' in facts/README.md)",
        "按{day}的费率计算:今天({today})已超出其执行期间;如有新的通知,可生成待填写的参数文件:"
        "hzcity rates --template DIR(见 facts/README.md 中“User parameter files”一节)",
    ),
    "note.past_year": (
        "the standard stated for {year}: none is stated for the year of today ({today}); for "
        "a later notice, write a file to fill in: {command}",
        "按公布的{year}年标准计算:今天({today})所在年份尚无公布的标准;如有新的通知,"
        "可生成待填写的参数文件:{command}",
    ),
    "template.head": (
        "Rates from a notice you cite, for hzcity (hzcity premium reads them with\n"
        '--facts-dir DIR). Fill in every value, as a decimal number in quotes ("0.5" for\n'
        "0.5%), and the notice: its title as printed, its document number, and its address\n"
        "if it is online. Set start and end ({start} to {end} now) to the window the notice\n"
        "gives. Check the file with: hzcity validate DIR",
        "你所引用文件中的费率,供 hzcity 使用(hzcity premium 用 --facts-dir DIR 读取)。\n"
        '请填写每个数值(加引号的十进制数,如 0.5% 写作 "0.5")和所依据的文件:原标题、\n'
        "文号,如有网址一并填写。start 和 end(现为 {start} 至 {end})请按文件规定的执行期间填写。\n"
        "填好后检查:hzcity validate DIR",
    ),
    "template.optional": (
        "Optional: the contribution-base floor and ceiling, if the notice sets them\n"
        "(remove the # of each line to use them).",
        "可选:文件规定的缴费基数下限和上限(使用时去掉每行开头的 #)。",
    ),
    "template.title": ("the notice's title, as printed", "文件原标题"),
    "template.document": ("its document number, if any", "文号(如有)"),
    "template.url": ("(optional) where it is published", "(可选)发布网址"),
    "template.unit.percent": ('percent: "0.5" is 0.5%', '百分比:"0.5" 即 0.5%'),
    "template.unit.work-injury-cut": ('percent: "50" is a cut by half', '百分比:"50" 即下调一半'),
    "template.unit.yuan/month": ("yuan a month", "元/月"),
    "template.unit.yuan/person/month": ("yuan a person and month", "元/人/月"),
    "template.unit.yuan/person/school-year": ("yuan a person and school year", "元/人/学年"),
    "template.exists": (
        "{path} exists; move it away or name another directory",
        "{path} 已存在;请移走它或指定另一个目录",
    ),
    "template.wrote": (
        "wrote {path}: fill in each value and the notice, then: hzcity validate {root}",
        "已写入 {path}:请填写各数值和所依据的文件,然后检查:hzcity validate {root}",
    ),
    "reference_url": ("Address", "网址"),
    "unused.template": (
        "with --template, which writes YAML",
        "不适用于 --template(它生成 YAML 文件)",
    ),
    "premium.no_salary": (
        "give either --salary AMOUNT or --salaries FILE (or - for stdin)",
        "请给出 --salary 金额 或 --salaries 文件(- 表示标准输入)",
    ),
    "payroll.format": (
        "payroll mode writes csv, tsv or json (one object per line)",
        "工资表模式只输出 csv、tsv 或 json(每行一个对象)",
    ),
    "growth.until": ("--growth and --until go together", "--growth 与 --until 须同时给出"),
    "unused.one": ("{names} does not apply {mode}", "{names} {mode}"),
    "unused.many": ("{names} do not apply {mode}", "{names} {mode}"),
    "unused.salary": (
        "to one --salary, only to a payroll (--salaries FILE)",
        "不适用于单个 --salary,只适用于工资表(--salaries 文件)",
    ),
    "unused.projection": (
        "to a projection (--growth/--until), only to one child's allowance",
        "不适用于预测(--growth/--until),只适用于单个儿童的保障金",
    ),
    "kind.unknown": (
        "unknown kind {kind!r}; choose from {names}",
        "没有类型 {kind!r};可选:{names}",
    ),
    "context.format": (
        "--context shows the page to people: use it with --format table",
        "--context 用于给人阅读版面:请与 --format table 一起使用",
    ),
    "html.topic": (
        "the HTML page holds every article; give no topic with --format html",
        "HTML 页面包含全部文章;使用 --format html 时请勿指定主题",
    ),
    "search.empty": (
        "search needs a word, e.g. hzcity search 孤儿",
        "请给出要检索的词,如 hzcity search 孤儿",
    ),
    "topic.unknown": ("unknown topic {name!r}{hint}", "没有主题 {name!r}{hint}"),
    "fact.unknown": ("unknown fact id {id!r}{hint}", "没有编号为 {id!r} 的条目{hint}"),
    "fact.ambiguous": (
        "{id!r} is a fact of {topics}: give the topic or the full id",
        "{id!r} 在 {topics} 中都有:请给出主题或完整编号",
    ),
    "sheet.unknown": (
        "{source}: no sheet {sheet!r} (sheets: {sheets}){hint}",
        "{source}:没有工作表 {sheet!r}(现有工作表:{sheets}){hint}",
    ),
    "sheet.chart": (
        "{source}: sheet {sheet!r} is a chart, not a table",
        "{source}:工作表 {sheet!r} 是图表,不是表格",
    ),
    "sheet.too_big": (
        "{source}: sheet {sheet!r} claims {rows} rows x {columns} columns, beyond Excel's "
        "{max_rows} x {max_columns}; not a workbook Excel wrote",
        "{source}:工作表 {sheet!r} 声称有 {rows} 行 x {columns} 列,超出 Excel 的 "
        "{max_rows} x {max_columns};不是 Excel 保存的工作簿",
    ),
    "workbook.unreadable": (
        "{source}: not a readable workbook ({why})",
        "{source}:不是可读取的工作簿",
    ),
    "workbook.too_big": (
        "{source}: unpacks to {bytes:,} bytes ({member}: {size:,}), above the {limit:,}-byte "
        "limit for a workbook",
        "{source}:解压后有 {bytes:,} 字节({member}:{size:,}),超过工作簿 {limit:,} 字节的上限",
    ),
    "cell.formula": (
        "a formula saved without its result; open and save the file in Excel first",
        "公式保存时没有计算结果;请先在 Excel 中打开并保存该文件",
    ),
    "cell.date": ("a date or time ({text}), not an amount", "是日期或时间({text}),不是金额"),
    "cell.error": ("formula error {text}", "公式错误 {text}"),
    "cell.decimals": (
        "the cell holds {text}, more decimals than an amount in yuan (its format may show "
        "fewer); round it in the sheet, e.g. =ROUND(...,2)",
        "单元格的值为 {text},小数位多于以元计的金额(单元格格式可能显示得更少);"
        "请在表中取整,如 =ROUND(...,2)",
    ),
    # payroll workbooks in and out (issue 16)
    "column.contribution_base": ("contribution_base", "缴费基数"),
    "column.unemployment_employer": ("unemployment_employer", "失业保险 单位"),
    "column.unemployment_individual": ("unemployment_individual", "失业保险 个人"),
    "column.work_injury_employer": ("work_injury_employer", "工伤保险 单位"),
    "column.work_injury_saving": ("work_injury_saving", "工伤保险 减征额"),
    "column.employer_total": ("employer_total", "单位合计"),
    "column.individual_total": ("individual_total", "个人合计"),
    "column.total": ("total", "合计"),
    "cell.bool": ("a TRUE/FALSE value ({text}), not an amount", "是逻辑值({text}),不是金额"),
    "cell.empty_salary": ("empty salary cell", "工资单元格为空"),
    "rows.none": (
        "{source}: no employee row under the header",
        "{source}:表头下没有职工行",
    ),
    "rows.none_sheet": (
        "{source}: sheet {sheet!r} has no employee row; sheets with a salary column: {sheets}",
        "{source}:工作表 {sheet!r} 没有职工行;有工资列的工作表:{sheets}",
    ),
    "column.none_sheet": (
        "{source}: sheet {sheet!r} has no salary column; sheets with one: {sheets}; "
        "choose one with --sheet, or name the column with --column",
        "{source}:工作表 {sheet!r} 没有工资列;有工资列的工作表:{sheets};"
        "请用 --sheet 选择,或用 --column 指定列",
    ),
    "sheets.none": ("none", "无"),
    "cell.not_finite": (
        "{where}: the number {text} is none a spreadsheet holds; the workbook is damaged",
        "{where}:数值 {text} 不是电子表格能保存的数;工作簿已损坏",
    ),
    "workbook.packed": (
        "{source}: {member} unpacks to {size:,} bytes from {packed:,}, more than an office suite "
        "writes; not a workbook",
        "{source}:{member} 由 {packed:,} 字节解压为 {size:,} 字节,远超办公软件所写;不是工作簿",
    ),
    "input.too_big": (
        "{source}: more than {limit:,} bytes on standard input for a workbook; pass the file",
        "{source}:标准输入的工作簿超过 {limit:,} 字节;请直接给出文件",
    ),
    "workbook.encrypted": (
        "{source}: a password-protected workbook; remove the password and save it again",
        "{source}:工作簿有密码保护;请取消密码后重新保存",
    ),
    "note.footer_row": ("footer row {where} skipped: {text}", "已跳过表尾行 {where}:{text}"),
    "note.engine": ("reference engine: {why}", "使用参考引擎:{why}"),
    "engine.workbook": ("a workbook is read cell by cell", "工作簿需逐个单元格读取"),
    "engine.stdin": ("standard input cannot be read twice", "标准输入不能读取两次"),
    "engine.encoding": ("the encoding {encoding} is not UTF-8", "编码 {encoding} 不是 UTF-8"),
    "engine.titles": ("title rows above the header", "表头上方有标题行"),
    "engine.header_row": ("a forced header row", "指定了表头行"),
    "engine.jsonl": ("JSON lines", "JSON lines 格式"),
    "engine.json": ("JSON output", "JSON 输出"),
    "engine.cells": ("an .xlsx answer is written cell by cell", ".xlsx 结果需逐个单元格写入"),
    "engine.stdout": ("standard output is not UTF-8", "标准输出不是 UTF-8"),
    "engine.terminal": (
        "a terminal is shown the answer screened of control characters",
        "终端上显示的结果需先滤除控制字符",
    ),
    "engine.unclean": ("{why}", "{why}"),
    "engine.excel_cells": (
        "cells Excel would change (a formula sign, a long number)",
        "有 Excel 会改变的单元格(公式符号、长数字)",
    ),
    "engine.not_plain": (
        "the file is not plain (quotes, a total row, an unusual amount or line)",
        "文件不是简单格式(引号、合计行、特殊金额或行)",
    ),
    "note.csv_kept": (
        '{path}: {count} cell(s) such as {where} {value!r} written as ="..." so that Excel '
        "keeps every digit; .xlsx keeps them as text",
        '{path}:{count} 个单元格(如 {where} {value!r})写成 ="...",以免 Excel 丢失数字;'
        ".xlsx 可保留为文本",
    ),
    "note.csv_unfaithful": (
        "{path}: {count} cell(s) such as {where} {value!r} may change when a spreadsheet opens "
        "the CSV (read as a number or date); write .xlsx to keep them as they are",
        "{path}:{count} 个单元格(如 {where} {value!r})在电子表格打开 CSV 时可能被改变"
        "(被当作数字或日期);请写 .xlsx 以保持原样",
    ),
    "output.too_many_rows": (
        "{path}: {rows:,} rows do not fit in one .xlsx sheet ({limit:,} with the header and "
        "totals); write .csv or .jsonl",
        "{path}:{rows:,} 行放不进一个 .xlsx 工作表(含表头和合计最多 {limit:,} 行);"
        "请写 .csv 或 .jsonl",
    ),
    "output.too_many_columns": (
        "{path}: {columns:,} columns do not fit in an .xlsx sheet (at most {limit:,}); "
        "write .csv or .jsonl",
        "{path}:{columns:,} 列放不进 .xlsx 工作表(最多 {limit:,} 列);请写 .csv 或 .jsonl",
    ),
    "output.long_cell": (
        "{path}: cell {where} holds {length:,} characters, beyond the {limit:,} an .xlsx "
        "cell holds; write .csv or .jsonl",
        "{path}:单元格 {where} 有 {length:,} 个字符,超过 .xlsx 单元格的上限 {limit:,};"
        "请写 .csv 或 .jsonl",
    ),
    "output.interrupted": ("{path}: interrupted; nothing written", "{path}:已中断;未写入任何内容"),
    # why the system refused a file: its own English words, the usual reasons in Chinese
    "os.ENOENT": ("{strerror}", "文件或目录不存在"),
    "os.EACCES": ("{strerror}", "没有访问权限"),
    "os.EPERM": ("{strerror}", "操作不被允许"),
    "os.EISDIR": ("{strerror}", "这是一个目录"),
    "os.ENOSPC": ("{strerror}", "磁盘空间不足"),
    "file.unreadable": ("{source}: cannot read: {why}", "{source}:无法读取:{why}"),
    "file.unwritable": ("{path}: cannot write: {why}", "{path}:无法写入:{why}"),
    "workbook.ole2": (
        "{source}: an encrypted (password-protected) workbook or a damaged .xls; open it "
        "in Excel, remove any password and save it as .xlsx",
        "{source}:这是加密(有密码保护)的工作簿或已损坏的 .xls 文件;请在 Excel 中打开,"
        "取消密码后另存为 .xlsx",
    ),
    "workbook.not_zip": (
        "{source}: named as a workbook but is not one (no zip signature)",
        "{source}:文件名是工作簿,内容却不是(没有 zip 签名)",
    ),
    "delimiter.bad": (
        "{source}: the delimiter must be one character, not a quote or line end",
        "{source}:分隔符必须是一个字符,且不能是引号或换行符",
    ),
    "encoding.unknown": (
        "{source}: unknown encoding {encoding!r}",
        "{source}:不认识的编码 {encoding!r}",
    ),
    "encoding.wide": (
        "{source}: {codec} text is not read; save it as UTF-8 CSV or .xlsx",
        "{source}:不读取 {codec} 编码的文本;请另存为 UTF-8 CSV 或 .xlsx",
    ),
    "encoding.not_text": (
        "{source}: {encoding!r} is not an encoding text files are saved in (e.g. utf-8, gbk)",
        "{source}:{encoding!r} 不是文本文件的编码(应如 utf-8、gbk)",
    ),
    "csv.malformed": ("{where}: malformed CSV: {why}", "{where}:CSV 格式有误"),
    "json.bad": ("not JSON: {why} at column {column}", "不是 JSON:第 {column} 列有误"),
    "json.not_object": ("not a JSON object", "不是 JSON 对象"),
    "json.keys": (
        "keys {keys} differ from the first line's",
        "键 {keys} 与第一行的键不同",
    ),
    "line.encoding": (
        "bytes {bytes!r} at byte {at} are not {encoding} text; name the file's encoding with "
        "--encoding",
        "第 {at} 字节处的 {bytes!r} 不是 {encoding} 文本;请用 --encoding 指明文件编码",
    ),
    "row.width": ("expected {width} fields, found {found}", "应有 {width} 个字段,实有 {found} 个"),
    "row.beyond": (
        "a value right of the header's {width} columns",
        "表头 {width} 列的右侧还有数值",
    ),
    "header.missing": (
        "{source}: header row {row} is blank or past the end",
        "{source}:表头行 {row} 为空或超出文件末尾",
    ),
    "header.none": ("{source}: {empty}; expected a header row", "{source}:{empty};应有表头行"),
    "sheet.empty": ("sheet {sheet!r} is empty", "工作表 {sheet!r} 为空"),
    "input.empty": ("empty input", "输入为空"),
    "column.unknown": (
        "{where}: no column {column!r} in the header ({listed})",
        "{where}:表头中没有列 {column!r}(现有:{listed})",
    ),
    "column.none": (
        "{where}: which column holds the salary? none is named {names}; use --column with "
        "one of: {listed}",
        "{where}:哪一列是工资?没有名为 {names} 的列;请用 --column 指定以下之一:{listed}",
    ),
    # hostile text payrolls (issue 18): refused in one line, never decoded wrong
    "line.too_long": (
        "{where}: a line longer than {limit:,} bytes; not a payroll (a binary file or a device?)",
        "{where}:一行超过 {limit:,} 字节;这不是工资表(二进制文件或设备?)",
    ),
    "line.mixed": (
        "UTF-8 text in a file read as {encoding} up to here: mixed encodings; save the file in "
        "one encoding, or name it with --encoding",
        "文件此前按 {encoding} 读取,这一行却是 UTF-8:编码混杂;请用同一种编码保存文件,"
        "或用 --encoding 指明编码",
    ),
    "line.codec": ("not {encoding} text ({why})", "不是 {encoding} 文本({why})"),
    "json.duplicate": (
        "the key {name!r} appears twice in one object",
        "同一对象中键 {name!r} 出现了两次",
    ),
    "json.deep": ("JSON nested too deeply", "JSON 嵌套过深"),
    "json.surrogate": (
        "a lone surrogate escape {escape} is no character",
        "单独的代理项转义 {escape} 不是字符",
    ),
    "stdin.too_big": (
        "{source}: a workbook on standard input is held in memory, and this one is over "
        "{limit:,} bytes; give its file name instead",
        "{source}:标准输入上的工作簿要整个读入内存,而它超过 {limit:,} 字节;请改为给出文件名",
    ),
    "header.row_number": (
        "rows are counted from 1, not {row}",
        "行号从 1 开始,不能是 {row}",
    ),
    "header.renamed": (
        "{where}: header names made distinct so that no cell is lost: {renamed}",
        "{where}:表头名称已改为互不相同,以免丢失单元格:{renamed}",
    ),
    "output.suffix": (
        "{path}: the output file must end in {suffixes}",
        "{path}:输出文件的扩展名必须是 {suffixes}",
    ),
    "output.no_directory": (
        "{path}: no such directory {directory!r}",
        "{path}:目录 {directory!r} 不存在",
    ),
    "output.is_input": (
        "{path}: is the input file; write the answer to another file",
        "{path}:这是输入文件;请把结果写入另一个文件",
    ),
    "unused.ics": ("with --ics, which writes iCalendar", "不适用于 --ics(它输出 iCalendar)"),
    "unused.no_student": ("without --student", "仅在给出 --student 时适用"),
    "unused.format": ("to this file ({kind})", "不适用于此文件({kind})"),
    # catalog: the kinds of fact (their codes are the schema's), validate's columns
    "fact_kind.achievement": ("achievement", "成效"),
    "fact_kind.target": ("target", "目标"),
    "fact_kind.bound": ("bound", "限值"),
    "fact_kind.change": ("change", "变动幅度"),
    "fact_kind.rate": ("rate", "费率"),
    "fact_kind.standard": ("standard", "标准"),
    "fact_kind.count": ("count", "数量"),
    "fact_kind.date": ("date", "日期"),
    "fact_kind.time": ("time", "时间"),
    "fact_kind.price": ("price", "票价"),
    "fact_kind.contact": ("contact", "联系方式"),
    "fact_kind.statement": ("statement", "表述"),
    "problem.file": ("File", "文件"),
    "problem.line": ("Line", "行"),
    "problem.rule": ("Check", "检查"),
    "problem.message": ("Problem", "问题"),
    # Click's and Typer's own words (hzcity/cli/helptext.py): the English is theirs
    "click.usage": ("Usage: ", "用法: "),
    "click.aborted": ("Aborted!", "已中止。"),
    "click.Options": ("Options", "选项"),
    "click.Arguments": ("Arguments", "参数"),
    "click.Commands": ("Commands", "命令"),
    "click.help": ("Show this message and exit.", "显示本帮助后退出。"),
    "click.[OPTIONS]": ("[OPTIONS]", "[选项]"),
    "click.COMMAND [ARGS]...": ("COMMAND [ARGS]...", "命令 [参数]..."),
    "click.envvar": ("env var: {value}", "环境变量:{value}"),
    "click.default": ("default: {value}", "默认:{value}"),
    "click.required": ("required", "必填"),
    "click.try": ("Try '{command} {option}' for help.", "用 '{command} {option}' 查看帮助。"),
    "click.no_option": ("No such option: {name}", "没有选项 {name}"),
    "click.possible": (" (Possible options: {names})", "(可能是:{names})"),
    "click.missing": ("Missing {what} {name}.", "缺少{what} {name}。"),
    "click.option": ("option", "选项"),
    "click.argument": ("argument", "参数"),
    "click.parameter": ("parameter", "参数"),
    "click.no_command": ("No such command '{name}'.{close}", "没有命令 '{name}'{close}"),
    "click.close": (" Did you mean {names}?", ";是否要找 {names}?"),
    "click.needs_value": ("Option '{name}' requires an argument.", "选项 '{name}' 需要一个值。"),
    "click.extra": ("Got unexpected extra argument(s) ({args})", "多余的参数({args})"),
    "click.not_one_of": (
        "Invalid value for {name}: '{value}' is not one of {names}.",
        "{name} 的值无效:'{value}' 不是可选值({names})之一。",
    ),
    "click.not_valid": (
        "Invalid value for {name}: '{value}' is not a valid {type}.",
        "{name} 的值无效:'{value}' 不是{type}。",
    ),
    "click.type.int": ("int", "整数"),
    "click.type.float": ("float", "数字"),
}


NUMERALS = "〇一二三四五六七八九"  # an industry class (1 to 8) as a clerk writes it: 四类


# A curator's note on a fact (its `note:` in facts/*.yaml, English) as a Chinese reader
# reads it (tests/test_languages.py checks that every shipped note has one). A user's
# note without one is shown as written, like the user's quote.
NOTES_ZH: dict[str, str] = {
    'The page says the commission "will establish" (将建立) the subsidy system; no start '
    "date is printed.": "报道称市卫健委“将建立”该补贴制度,未载明起始日期。",
    "The year is not printed; the page reports events of 31 May 2023.":
        "报道未载明年份;本版报道的是2023年5月31日的事。",
}  # fmt: skip


# --help in Chinese: each English help text of the commands and options, as written in
# hzcity/cli, and its translation (Click's own words, "Usage:", "Options:", are the
# click.* keys of TEXT).
HELP_ZH: dict[str, str] = {
    "Sourced facts and exact calculators from a Harbin city newspaper page (31 May 2023).":
        "哈尔滨一版报纸(2023年5月31日)的有出处的数据,以及精确到分的计算器。",
    "Print the version and exit.": "显示版本后退出。",
    "List the topics: title, number of facts and source article.":
        "列出主题:标题、条目数和来源文章。",
    "Output format. Default: table on a terminal, tsv in a pipe.":
        "输出格式。默认:终端中为表格,管道中为 tsv。",
    "Language of labels. Default: $HZCITY_LANG, then the locale, then en.":
        "显示语言。默认:$HZCITY_LANG,其次系统语言环境,再次英文。",
    "Extra directory of topic and parameters/*.yaml files (also $HZCITY_FACTS_PATH).":
        "另加的主题文件和 parameters/*.yaml 目录(也可用 $HZCITY_FACTS_PATH)。",
    "Print the indicators of one or more topics, with unit, kind and period.":
        "列出一个或多个主题的指标,含单位、类型和时期。",
    "Topics to list (default: all).": "要列出的主题(默认:全部)。",
    "Only facts of this kind (repeatable): achievement, target, bound, change, rate, "
    "standard, count, date, time, price, contact, statement.":
        "只列出此类型的条目(可重复):achievement 成效、target 目标、bound 限值、change 变动幅度、"
        "rate 费率、standard 标准、count 数量、date 日期、time 时间、price 票价、"
        "contact 联系方式、statement 表述。",
    "Show one fact whole, with its source and citation.": "显示一个条目的全部内容及其出处和引文。",
    "A fact id, e.g. education.funding-2022, or funding-2022 when only one topic has it or "
    "with --topic.":
        "条目编号,如 education.funding-2022;仅一个主题有该编号或给出 --topic 时可写 funding-2022。",
    "The topic of a short fact id.": "短编号所属的主题。",
    "Then the paragraph of the page that holds the quote, marked.":
        "再显示报道中含该引文的段落,并标出引文。",
    "Find facts whose id, labels, value or citation hold every one of WORDS.":
        "查找编号、名称、数值或引文同时含有所有检索词的条目。",
    "Words to find in ids, labels, values and quotes.": "在编号、名称、数值和引文中查找的词。",
    "The source page as printed, every curated quote marked with its fact ids.":
        "按原样显示报道版面,每条引文都标出其条目编号。",
    "Topics whose articles to show (default: all).": "要显示其文章的主题(默认:全部)。",
    "text for the terminal, or html: one self-contained file for a browser.":
        "text:终端文本;html:可在浏览器中打开的单个独立文件。",
    "List the dated items of the page (meetings, the concert, the rate window).":
        "列出报道中有日期的事项(会议、音乐会、费率执行期间)。",
    "Print an iCalendar (.ics) file instead.": "改为输出 iCalendar(.ics)日历文件。",
    "Check fact and parameter files; print each problem as file:line: message.":
        "检查条目文件和参数文件;每个问题按“文件:行: 说明”列出。",
    "Files or directories to check (default: the shipped facts and user directories).":
        "要检查的文件或目录(默认:随附数据和用户目录)。",
    "Problems as a table, json, csv, tsv or md (file, line, check, message). "
    "Default: one file:line: message line each.":
        "以表格、json、csv、tsv 或 md 列出问题(文件、行、检查、说明)。"
        "默认:每个问题一行“文件:行: 说明”。",
    "Unemployment and work-injury premiums under the rates in force on a day.":
        "按某日执行的费率计算失业保险费和工伤保险费。",
    "Monthly contribution base in yuan.": "月缴费基数(元)。",
    "Payroll: .xlsx, .xls, .ods, CSV, TSV or JSON lines, UTF-8 or GBK ('-' for stdin): one "
    "output row per employee row, as CSV unless --format tsv/json or --output.":
        "工资表:.xlsx、.xls、.ods、CSV、TSV 或 JSON lines,UTF-8 或 GBK(“-”为标准输入);"
        "每名职工一行结果,"
        "默认输出 CSV,可用 --format tsv/json 或 --output。",
    "Salary column (default: 缴费基数, ..., 应发工资, 工资, ..., salary, base, wage).":
        "工资所在列(默认:缴费基数、……、应发工资、工资、……、salary、base、wage)。",
    "Text encoding (default: UTF-8, else GB18030).": "文本编码(默认:UTF-8,否则 GB18030)。",
    "Field delimiter (default: told from the header).": "分隔符(默认:由表头判断)。",
    "Row of the header (default: the first naming a salary).":
        "表头所在行(默认:第一个含工资列名的行)。",
    "Write the payroll answer to FILE: .xlsx, .csv (for Excel), .tsv or .jsonl.":
        "把计算结果写入文件:.xlsx、.csv(供 Excel 打开)、.tsv 或 .jsonl。",
    "Skip unreadable payroll rows, listing each on stderr, instead of stopping.":
        "跳过无法读取的行(逐行提示原因),而不是停止。",
    "Industry risk class 1-8: its national benchmark rate (about; the employer's own rate "
    "may differ, see --injury-rate) is taken as the current rate.":
        "行业风险类别 1-8:以其全国基准费率(约数;用人单位实际费率可能不同,见 --injury-rate)"
        "作为现行费率。",
    "The employer's own current work-injury rate in percent (0.9 or 0.9%).":
        "用人单位自己的现行工伤保险费率,单位为百分比(0.9 或 0.9%)。",
    "Contribution base floor.": "缴费基数下限。",
    "Contribution base ceiling.": "缴费基数上限。",
    "Orphan basic living allowance (also for HIV-infected and de facto unsupported "
    "children).": "孤儿基本生活保障金(也适用于艾滋病病毒感染儿童和事实无人抚养儿童)。",
    "Type of care.": "养育方式。",
    "Orphan (default), de facto unsupported child or HIV-infected child.":
        "孤儿(默认)、事实无人抚养儿童或艾滋病病毒感染儿童。",
    "Number of months to total (12).": "合计的月数(12)。",
    "The child is enrolled in school: add the school grant where the page grants it.":
        "儿童在学:在报道给予助学金的情形下计入助学金。",
    "School years of grant (with --student; 1).": "助学金的学年数(与 --student 一起用;1)。",
    "Year of the standard: 2022 as stated, 2021 derived from the stated increase.":
        "标准所属年份:2022 为公布数,2021 由公布的增幅推算。",
    "Assumed yearly growth in percent, to project the standard (with --until).":
        "假定的年增幅(百分比),用于推算标准(与 --until 一起用)。",
    "Last year of the projection.": "推算的最后一年。",
    "Operating subsidy of an inclusive childcare institution per child and month.":
        "普惠性托育机构按在托人数和月数计的运营补贴。",
    "Children actually enrolled.": "实际在托人数。",
    "Number of months.": "月数。",
    "The rates and standards the calculators use: one row per window, with its source.":
        "计算器所用的费率和标准:每个执行期间一行,并注明来源。",
    "Parameters to show (default: all).": "要显示的参数(默认:全部)。",
    "Show only what is in force that day.": "只显示当日执行的数值。",
    "Day of the rates, or 'today' (strictly). Default: today, else the latest day before it "
    "that has them.":
        "费率所依据的日期,或 today(严格按今天)。默认:今天,若今天无费率则取此前最近有费率的一天。",
    "Show only what is in force that day ('today': today).":
        "只显示当日执行的数值(today:今天)。",
    "Write a parameter file to fill in, DIR/parameters/rates-DATE.yaml ('-': print it): "
    "the rates premium needs (or the NAMEs), from --date (default: 1 January) to 31 December.":
        "生成待填写的参数文件 DIR/parameters/rates-日期.yaml(“-”为直接输出):premium 所需的费率"
        "(或所列参数),执行期间自 --date(默认:1月1日)至12月31日。",
    # Typer's completion options on the main help
    "Install completion for the current shell.": "为当前 shell 安装命令补全。",
    "Show completion for the current shell, to copy it or customize the installation.":
        "显示当前 shell 的补全脚本,以便复制或自定义安装。",
}  # fmt: skip
