/// Small exports for the tests that need one written out: an account, one tag (`tag-a`) and the
/// given action sets, every other section empty.
public enum TestExports {
    /// A valid export (format v1) whose `<action-sets>` holds `actionSets`.
    public static func withActionSets(_ actionSets: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <export xmlns="urn:purchase-actions:export:v1" version="1">
          <account id="acct" name="Test" timezone="Europe/Berlin" currency="EUR"/>
          <catalogue>
            <tag id="tag-a" name="A"/>
          </catalogue>
          <sequences></sequences>
          <action-sets>
          \(actionSets)
          </action-sets>
          <purchase-actions></purchase-actions>
          <billing-automation></billing-automation>
        </export>
        """
    }
}
