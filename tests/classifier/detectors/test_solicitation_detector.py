"""SolicitationDetector: requests for secrets and private or off-platform "support"."""

import pytest

from classifier.detectors import SolicitationDetector
from core import DetectionKind


@pytest.fixture(scope="module")
def detector() -> SolicitationDetector:
    return SolicitationDetector(
        official_domains=("novawallet.io", "help.novawallet.io"),
        official_handles=("@nova_support",),
    )


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        # secrets asked for
        ("send your 12 words to verify your account", "asks for a secret"),
        (
            "Please DM us your wallet address and the 12-word phrase for verification",
            "asks for a secret",
        ),
        ("enter your seed phrase on the page to restore access", "asks for a secret"),
        ("kindly verify your private key with our agent", "asks for a secret"),
        ("Reply to this message with your 12 words and our bot will check", "asks for a secret"),
        ("validate your mnemonic at nova-wallet-security.com within 2 hours", "asks for a secret"),
        ("rectify by entering your recovery phrase at nova-rectify.app", "asks for a secret"),
        ("our team will need your wallet address and recovery phrase", "asks for a secret"),
        ("You will need your recovery phrase to verify ownership", "asks for a secret"),
        ("please share phrase so I can run the repair script", "asks for a secret"),
        ("发一下你的助记词给我", "asks for a secret"),
        ("请把助记词发给我帮你恢复", "asks for a secret"),
        ("请在 nova-migrate.io 导入助记词完成迁移", "asks for a secret"),
        ("需要你的钱包助记词来恢复跨链资产", "asks for a secret"),
        ("提供私钥才能解冻", "asks for a secret"),
        ("請提供您的助記詞以便核實", "asks for a secret"),
        # wallet "validation"
        ("all users must validate their wallets before the upgrade", "asks to validate the wallet"),
        ("Validate at nova-wallet-sync.io within 12 hours", "asks to validate the wallet"),
        ("you need to sync your wallet to receive the funds", "asks to validate the wallet"),
        ("please rectify your wallet now", "asks to validate the wallet"),
        ("submit your wallet for re-verification here", "asks to validate the wallet"),
        ("connect your wallet to the validation portal", "asks to validate the wallet"),
        ("你的钱包需要同步节点", "asks to validate the wallet"),
        ("验证一下钱包就可以到账", "asks to validate the wallet"),
        ("请到 nova-verify-wallet.com 重新验证", "asks to validate the wallet"),
        ("請立即前往 nova-wallet-sync.io 驗證", "asks to validate the wallet"),
        # forms and off-platform tickets
        ("Please fill this form so our team can assist you: forms.gle/x", "points to a form"),
        ("complete the KYC-sync form at nova-kyc-sync.com", "points to a form"),
        ("请填写表单提交你的问题", "points to a form"),
        ("open a ticket at nova-support-ticket.com", "points to an off-platform ticket"),
        (
            "Please open a ticket at our help desk: nova-support-desk.com",
            "points to an off-platform ticket",
        ),
        ("submit your complaint at nova-refund-portal.com", "points to an off-platform ticket"),
        # a support mailbox at a free mail provider (a real desk never answers from one)
        ("write to novasupport.help@gmail.com for a refund", "offers a free-mail help desk"),
        ("官方客服邮箱 nova_kefu@qq.com 24小时在线", "offers a free-mail help desk"),
        (
            "Recovered my BTC thanks to wallet.recovery@protonmail.com",
            "offers a free-mail help desk",
        ),
        ("I emailed nova.support@gmail.com and they fixed it", "offers a free-mail help desk"),
        # private contact offered as support
        ("please DM me your issue and I will fix it fast", "offers private contact"),
        ("DM us now, fast and confidential", "offers private contact"),
        ("inbox me for help", "offers private contact"),
        ("Message me privately, we can freeze the address", "offers private contact"),
        ("hit me up and I'll sort it", "offers private contact"),
        ("send me a DM with the details", "offers private contact"),
        ("DM for help", "offers private contact"),
        ("DM @ChainTraceRecover now, 100% success", "offers private contact"),
        ("just DM our verified support @ph4ntom_helpdesk", "offers private contact"),
        ("please add me as a friend so we can resolve it", "offers private contact"),
        ("你好, 我可以帮你找回, 私聊我", "offers private contact"),
        ("有问题私信我", "offers private contact"),
        ("有withdrawal问题的DM我", "offers private contact"),
        ("请加我WhatsApp处理", "offers private contact"),
        ("加我微信 nova_kefu", "offers private contact"),
        ("加客服电报", "offers private contact"),
        ("高价收U，私聊 @usdt_huishou_88", "offers private contact"),
        ("专业收 U, 联系 @usdt_huishou_88", "offers private contact"),
        ("找官方技术 @Nova_JiShu_Kefu 一下就解决了", "offers private contact"),
        ("高价收U，当面交易，私聊", "offers private contact"),
        # off-platform help desks
        ("Contact us on WhatsApp for a fast fix", "offers off-platform contact"),
        ("Message me on Telegram @EthicalHackerDan", "offers off-platform contact"),
        ("an agent will contact you by WhatsApp in 5 minutes", "offers off-platform contact"),
        ("WhatsApp: +1 415 902 3381", "offers off-platform contact"),
        ("客服专员将在五分钟内通过WhatsApp联系您", "offers off-platform contact"),
        ("Contact our support desk at novawallet-help.com", "offers an off-platform help desk"),
        ("email our support team at help@nova-desk.net", "offers an off-platform help desk"),
        ("contact nova-helpdesk-live.com for instant support", "offers an off-platform help desk"),
        ("联系官方客服微信 nova888", "offers private contact"),
        ("call our hotline +1 (800) 555-0199 now", "offers a phone help desk"),
        ("24/7 support line: +44 7418 392011", "offers off-platform contact"),
        ("客服热线 +852 6913 4420", "offers a phone help desk"),
        ("Need help? Our agents answer at +1 888 555 0100", "offers a phone help desk"),
        ("添加客服邮箱 help@nova-desk.net", "offers an off-platform help desk"),
        ("币安钱包客服热线 400-820-6613，24小时在线处理提币不到账", "offers a phone help desk"),
        ("提币卡住请致电客服热线4008206613", "offers a phone help desk"),
        ("钱包被冻结的朋友, 技术支持电话 138 0013 8000 马上处理", "offers a phone help desk"),
        ("官方售后 800-820-1234 (24h)", "offers a phone help desk"),
    ],
)
def test_solicitations_fire(detector: SolicitationDetector, text: str, detail: str) -> None:
    found = detector.detect(text)
    assert found, text
    assert all(d.kind is DetectionKind.SOLICITATION for d in found)
    assert detail in [d.detail for d in found]
    for detection in found:
        assert text[detection.start or 0 : detection.end].strip() == detection.evidence


@pytest.mark.parametrize(
    "text",
    [
        # safety reminders and rules
        "never share your 12 words with anyone",
        "Never, ever enter your seed phrase on a website",
        "Don't send your recovery phrase to anyone, not even support",
        "admins will never DM you first",
        "real admins never DM first. Look at the handle",
        "Nova will never ask for your recovery phrase",
        "No one from support will ask you to validate your wallet",
        "If anyone asks you to sync your wallet, it's a scam",
        "Beware of accounts that say 'DM me for help'",
        "A self-custody wallet never needs to be 'validated', 'synced' or 'verified' by entering your recovery phrase anywhere",
        "永远不要把助记词发给任何人",
        "官方不会私聊你，也不会要求你提供助记词",
        "提醒大家，官方不會主動私訊，也不會要求提供助記詞",
        "请不要理会私聊你的人, 他们都是骗子",
        "真正的工作人员不会让你去任何网站验证钱包",
        # users reporting or asking
        "someone DMed me, is it legit?",
        "someone just DMed me saying they're a mod, fake right?",
        "Got a DM from someone claiming to be support. They want me to 'sync my wallet'. Is this legit?",
        "he told me to DM him for help",
        "they asked me to send my seed phrase, I didn't",
        "有人私聊我说是 Nova 管理员, 这是真的吗?",
        "有个客服私信我，是真的吗",
        "管理员私聊我说帮我解决问题",
        "每次在群里问个问题，就有五个假客服私聊我",
        "有个 'Nova Supp0rt' 在 Telegram DM 我, asking for my seed",
        "我把12个单词给了客服，钱包还安全吗",
        "要同步钱包才能提币吗",
        "Can someone from support DM me?",
        # education, the official help desk, ordinary talk
        "how do I back up my seed phrase?",
        "what's the difference between a private key and a mnemonic?",
        "I wrote my 12 words on paper and put them in a safe",
        "import it again with your recovery phrase (or cloud backup)",
        "If you lose the password you'll need your recovery phrase, so keep a copy",
        "导入助记词后地址不一样了",
        "唯一需要输入助记词的地方，就是你自己在官方App里恢复钱包的时候",
        "contact our support at help.novawallet.io",
        "open a ticket at https://help.novawallet.io/new",
        "DM @nova_support for help",
        "email support@novawallet.io with your ticket number",
        "my email is john.smith@gmail.com, the receipt went there",
        "never email novasupport@gmail.com, it's fake",
        "is novahelpdesk@outlook.com legit?",
        "support" * 15_000 + " gmail.com",  # long runs stay linear: the local part is bounded
        "the price went up 20% today",
        "my balance is 1,000,000 sats +5% this week",
        "客服说订单 4008206613 已经处理了",
        "提了 400 USDT 到 OKX, 客服说 1-2 小时到账",
        "千万不要打所谓的客服电话 400-820-6613, 是骗子",
        "这个客服热线 400-820-6613 是真的吗?",
        "order 13800138000123 still pending, support?",
        "gm everyone ☕",
        "",
    ],
)
def test_warnings_reports_and_ordinary_talk_do_not_fire(
    detector: SolicitationDetector, text: str
) -> None:
    assert detector.detect(text) == (), text


def test_official_contacts_are_only_exempt_when_configured() -> None:
    bare = SolicitationDetector()
    assert bare.detect("contact our support at help.novawallet.io")
    assert bare.detect("DM @nova_support for help")


def test_overlapping_matches_are_reported_once(detector: SolicitationDetector) -> None:
    found = detector.detect("DM me now. 私聊我")
    assert [d.evidence for d in found] == ["DM me", "私聊我"]


def test_a_victim_telling_what_they_did_is_not_a_request(detector: SolicitationDetector) -> None:
    assert detector.detect("有个自称客服的人私聊我，我把助记词发给他让他帮我处理") == ()
